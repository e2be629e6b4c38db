// Early-return helpers for absl::Status / absl::StatusOr, as used across module boundaries.
#ifndef XMODAL_CORE_BASE_STATUS_MACROS_H_
#define XMODAL_CORE_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define XM_CONCAT_INNER_(a, b) a##b
#define XM_CONCAT_(a, b) XM_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define XM_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::absl::Status xm_status_ = (expr);           \
    if (!xm_status_.ok()) return xm_status_;      \
  } while (false)

// `XM_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from an OK StatusOr, else returns its status.
#define XM_ASSIGN_OR_RETURN(lhs, expr) \
  XM_ASSIGN_OR_RETURN_IMPL_(XM_CONCAT_(xm_statusor_, __LINE__), lhs, expr)
#define XM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#endif  // XMODAL_CORE_BASE_STATUS_MACROS_H_
