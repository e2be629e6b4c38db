// Hand-made hostile inputs for end-to-end tests.
#ifndef XMODAL_TESTS_INTEGRATION_CRAFTED_MEDIA_H_
#define XMODAL_TESTS_INTEGRATION_CRAFTED_MEDIA_H_

#include <cstdint>
#include <string>

namespace xmodal::testing {

// A PNG signature and a valid IHDR chunk (correct CRC) claiming width x height RGB pixels,
// followed by a tiny IDAT and IEND: a decoder that trusts the header would allocate
// width * height * 3 bytes.
std::string PngHeaderClaiming(uint32_t width, uint32_t height);

}  // namespace xmodal::testing

#endif  // XMODAL_TESTS_INTEGRATION_CRAFTED_MEDIA_H_
