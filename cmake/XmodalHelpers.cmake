# Helpers that keep each folder's CMakeLists.txt short (after Abseil's absl_cc_library).
#
#   xmodal_cc_library(NAME base SRCS a.cc b.cc DEPS absl::status PRIVATE_DEPS OpenSSL::Crypto)
#     -> static library target xmodal_base, alias xmodal::base.
#   xmodal_cc_binary(NAME xmodal-server SRCS main.cc DEPS xmodal::server_lib)
#   xmodal_cc_test(NAME base_test SRCS status_test.cc DEPS xmodal::base)
#     -> GoogleTest executable, each TEST registered with CTest.
include(GoogleTest)

function(xmodal_cc_library)
  cmake_parse_arguments(X "" "NAME" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(xmodal_${X_NAME} STATIC ${X_SRCS})
  add_library(xmodal::${X_NAME} ALIAS xmodal_${X_NAME})
  target_include_directories(xmodal_${X_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(xmodal_${X_NAME} PUBLIC ${X_DEPS} PRIVATE ${X_PRIVATE_DEPS})
  target_compile_options(xmodal_${X_NAME} PRIVATE ${XMODAL_WARNINGS})
endfunction()

function(xmodal_cc_binary)
  cmake_parse_arguments(X "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${X_NAME} ${X_SRCS})
  target_link_libraries(${X_NAME} PRIVATE ${X_DEPS})
  target_compile_options(${X_NAME} PRIVATE ${XMODAL_WARNINGS})
  install(TARGETS ${X_NAME} RUNTIME DESTINATION bin)
endfunction()

function(xmodal_cc_test)
  cmake_parse_arguments(X "" "NAME" "SRCS;DEPS" ${ARGN})
  if(NOT XMODAL_BUILD_TESTS)
    return()
  endif()
  add_executable(${X_NAME} ${X_SRCS})
  target_link_libraries(${X_NAME} PRIVATE ${X_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_options(${X_NAME} PRIVATE ${XMODAL_WARNINGS})
  gtest_discover_tests(${X_NAME} DISCOVERY_TIMEOUT 120
                       PROPERTIES ENVIRONMENT "XMODAL_TEST_TMPDIR=${CMAKE_BINARY_DIR}/test-tmp")
endfunction()
