#include "core/media/jpeg_error.h"

#include <cstring>

namespace xmodal::media::internal {
namespace {

JpegErrorManager* ManagerOf(j_common_ptr cinfo) {
  // `pub` is the first member, so the pointers are interconvertible.
  return reinterpret_cast<JpegErrorManager*>(cinfo->err);
}

[[noreturn]] void ErrorExit(j_common_ptr cinfo) {
  JpegErrorManager* manager = ManagerOf(cinfo);
  manager->code = cinfo->err->msg_code;
  (*cinfo->err->format_message)(cinfo, manager->message);
  std::longjmp(manager->jump, 1);
}

void EmitMessage(j_common_ptr cinfo, int msg_level) {
  if (msg_level >= 0) return;  // Trace messages.
  // libjpeg only warns when the data ends early (it pads with a fake EOI and decodes grey);
  // a truncated image must be an error.
  if (cinfo->err->msg_code == JWRN_JPEG_EOF) ErrorExit(cinfo);
  cinfo->err->num_warnings++;
}

void OutputMessage(j_common_ptr) {}

}  // namespace

void InstallJpegErrorManager(j_common_ptr cinfo, JpegErrorManager* manager) {
  cinfo->err = jpeg_std_error(&manager->pub);
  manager->pub.error_exit = ErrorExit;
  manager->pub.emit_message = EmitMessage;
  manager->pub.output_message = OutputMessage;
  manager->message[0] = '\0';
  manager->code = 0;
}

void FailJpeg(j_common_ptr cinfo, const char* message) {
  JpegErrorManager* manager = ManagerOf(cinfo);
  std::strncpy(manager->message, message, sizeof(manager->message) - 1);
  manager->message[sizeof(manager->message) - 1] = '\0';
  manager->code = 0;
  std::longjmp(manager->jump, 1);
}

}  // namespace xmodal::media::internal
