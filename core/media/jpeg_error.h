// Internal to xmodal_media: a libjpeg error manager that turns libjpeg's fatal errors into a
// longjmp back to the caller's setjmp instead of exit(), and keeps the message.
//
// Usage (see jpeg_decoder.cc): keep the manager and the jpeg_*_struct in a plain context
// struct that outlives every libjpeg call; call libjpeg only from small functions whose locals
// are trivially destructible and that begin with `if (setjmp(manager.jump)) return false;`,
// so that the longjmp never skips a C++ destructor.
#ifndef XMODAL_CORE_MEDIA_JPEG_ERROR_H_
#define XMODAL_CORE_MEDIA_JPEG_ERROR_H_

#include <csetjmp>

#include "core/media/jpeg_lib.h"

namespace xmodal::media::internal {

struct JpegErrorManager {
  jpeg_error_mgr pub;  // First member: libjpeg hands back a jpeg_error_mgr*.
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  // libjpeg's message code of the error that ended the call (a JERR_* code or JWRN_JPEG_EOF);
  // 0 for errors raised with FailJpeg.
  int code;
};

// Initialises `manager` and points `cinfo->err` at it: fatal errors, and the warning for
// premature end of data (truncated input), longjmp to `manager->jump`; other warnings (common
// in slightly damaged but usable files) are ignored. Nothing is printed.
void InstallJpegErrorManager(j_common_ptr cinfo, JpegErrorManager* manager);

// Ends the current libjpeg call with `message` by longjmp-ing through the manager.
[[noreturn]] void FailJpeg(j_common_ptr cinfo, const char* message);

}  // namespace xmodal::media::internal

#endif  // XMODAL_CORE_MEDIA_JPEG_ERROR_H_
