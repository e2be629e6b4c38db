// Internal to xmodal_media: includes libjpeg's headers in the order they need (jpeglib.h uses
// FILE and size_t without including <stdio.h>; jerror.h needs jpeglib.h).
#ifndef XMODAL_CORE_MEDIA_JPEG_LIB_H_
#define XMODAL_CORE_MEDIA_JPEG_LIB_H_

// clang-format off
#include <cstddef>
#include <cstdio>
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

#endif  // XMODAL_CORE_MEDIA_JPEG_LIB_H_
