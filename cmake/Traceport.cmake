# Helper functions shared by every module. A module lives in src/<name>/ and is built with
#
#   traceport_module(NAME codec DEPS common LIBS nlohmann_json::nlohmann_json)
#
# which creates:
#   traceport_<name>          static library from every *.cc that is not a test, bench or fuzzer
#   traceport_<name>_testing  (if testing/ exists) fakes for other modules' tests
#   traceport_<name>_test     GoogleTest binary from *_test.cc, registered with CTest
#   traceport_<name>_bench    benchmark binary from *_bench.cc, run by `make bench`
#   <stem> per *_fuzz.cc      a libFuzzer target in the fuzz preset; elsewhere a replay binary
#                             that runs the seed corpus in testdata/fuzz/<stem>/ as a test
#
# DEPS names other modules; scripts/check_deps.py verifies them against docs/architecture.md.

set(TRACEPORT_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough)

function(traceport_common_options target)
  target_compile_options(${target} PRIVATE ${TRACEPORT_WARNINGS})
  if(TRACEPORT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(CMAKE_UNITY_BUILD)
    # In a unity translation unit every source is an included file, so GCC warns about a
    # class that holds a member of a file-local type as if it were defined in a header.
    target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
  endif()
endfunction()

function(traceport_module)
  cmake_parse_arguments(M "" "NAME" "DEPS;LIBS;TEST_LIBS" ${ARGN})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  file(GLOB srcs CONFIGURE_DEPENDS ${dir}/*.cc ${dir}/internal/*.cc)
  list(FILTER srcs EXCLUDE REGEX "_(test|bench|fuzz)\\.cc$")
  set(lib traceport_${M_NAME})
  add_library(${lib} STATIC ${srcs})
  target_include_directories(${lib} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  set(dep_targets "")
  foreach(d ${M_DEPS})
    if(NOT TARGET traceport_${d})
      message(FATAL_ERROR "module ${M_NAME} depends on ${d}, which is not defined yet: "
                          "add it earlier in src/CMakeLists.txt")
    endif()
    list(APPEND dep_targets traceport_${d})
  endforeach()
  target_link_libraries(${lib} PUBLIC ${dep_targets} ${M_LIBS})
  traceport_common_options(${lib})
  set_property(GLOBAL APPEND PROPERTY TRACEPORT_MODULE_TARGETS ${lib})

  set(testing_lib "")
  file(GLOB testing_srcs CONFIGURE_DEPENDS ${dir}/testing/*.cc)
  list(FILTER testing_srcs EXCLUDE REGEX "_(test|bench|fuzz)\\.cc$")
  if(testing_srcs)
    set(testing_lib traceport_${M_NAME}_testing)
    add_library(${testing_lib} STATIC ${testing_srcs})
    target_link_libraries(${testing_lib} PUBLIC ${lib})
    target_compile_definitions(${testing_lib} PRIVATE
        TRACEPORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        TRACEPORT_SHARED_DIR="${TRACEPORT_SHARED_DIR}")
    traceport_common_options(${testing_lib})
  endif()

  if(NOT TRACEPORT_BUILD_TESTS)
    return()
  endif()

  file(GLOB tests CONFIGURE_DEPENDS ${dir}/*_test.cc ${dir}/internal/*_test.cc ${dir}/testing/*_test.cc)
  if(tests)
    add_executable(${lib}_test ${tests})
    target_link_libraries(${lib}_test PRIVATE ${lib} ${testing_lib} traceport_common_testing
                          ${M_TEST_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
    target_compile_definitions(${lib}_test PRIVATE
        TRACEPORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        TRACEPORT_SHARED_DIR="${TRACEPORT_SHARED_DIR}")
    traceport_common_options(${lib}_test)
    add_test(NAME ${M_NAME}_unit COMMAND ${lib}_test)
  endif()

  file(GLOB benches CONFIGURE_DEPENDS ${dir}/*_bench.cc)
  if(benches)
    # Not part of `all`: the test builds (dev, asan) do not need them; `make bench` builds the
    # `benches` target.
    add_executable(${lib}_bench EXCLUDE_FROM_ALL ${benches})
    target_link_libraries(${lib}_bench PRIVATE ${lib} ${testing_lib} traceport_common_testing
                          ${M_TEST_LIBS})
    target_compile_definitions(${lib}_bench PRIVATE TRACEPORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    traceport_common_options(${lib}_bench)
    set_property(GLOBAL APPEND PROPERTY TRACEPORT_BENCHES ${lib}_bench)
  endif()

  file(GLOB fuzzers CONFIGURE_DEPENDS ${dir}/*_fuzz.cc)
  foreach(f ${fuzzers})
    get_filename_component(stem ${f} NAME_WE)
    set(corpus ${dir}/testdata/fuzz/${stem})
    add_executable(${stem} ${f})
    target_link_libraries(${stem} PRIVATE ${lib} ${testing_lib})
    traceport_common_options(${stem})
    if(TRACEPORT_FUZZ)
      target_compile_options(${stem} PRIVATE -fsanitize=fuzzer)
      target_link_options(${stem} PRIVATE -fsanitize=fuzzer)
    else()
      target_link_libraries(${stem} PRIVATE traceport_fuzz_replay_main)
      add_test(NAME ${stem}_corpus COMMAND ${stem} ${corpus})
    endif()
    set_property(GLOBAL APPEND PROPERTY TRACEPORT_FUZZERS ${stem})
    set_property(GLOBAL APPEND PROPERTY TRACEPORT_FUZZ_CORPORA ${corpus})
  endforeach()
endfunction()
