# Run by ctest (tests/package/CMakeLists.txt) as cmake -P with BUILD_DIR, CONFIG,
# SOURCE_DIR, WORK_DIR, HEADERS_DIR, GENERATOR, CXX_COMPILER and BUILD_TYPE set.
# Installs BUILD_DIR into WORK_DIR/prefix, checks that exactly the public headers were
# installed, configures and builds SOURCE_DIR/consumer against the prefix with the same
# generator and compiler, runs it and checks its output. WORK_DIR is removed at the end,
# whether the test passes or fails.
cmake_minimum_required(VERSION 3.25)

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)

function(fail message)
  file(REMOVE_RECURSE ${WORK_DIR})
  message(FATAL_ERROR "package test: ${message}")
endfunction()

# run(NAME COMMAND...): runs a step, failing with its output when it fails.
function(run name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT code EQUAL 0)
    fail("${name} failed (${code}):\n${ARGN}\n${out}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(config_args)
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
run(install ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} ${config_args})

# Exactly the public headers, and no private one.
file(GLOB_RECURSE installed RELATIVE ${prefix}/include ${prefix}/include/*)
file(GLOB expected RELATIVE ${HEADERS_DIR}/.. ${HEADERS_DIR}/*.hpp)
list(SORT installed)
list(SORT expected)
if(NOT installed STREQUAL expected)
  fail("installed headers differ from include/coding/*.hpp:\ninstalled: ${installed}\nexpected: ${expected}")
endif()
foreach(file bin/qcode)
  if(NOT EXISTS ${prefix}/${file})
    fail("${file} was not installed")
  endif()
endforeach()

run(configure ${CMAKE_COMMAND} -S ${SOURCE_DIR}/consumer -B ${build} -G ${GENERATOR}
  -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
  -DCMAKE_PREFIX_PATH=${prefix})
run(build ${CMAKE_COMMAND} --build ${build} ${config_args})
find_program(consumer consumer PATHS ${build} ${build}/${CONFIG} NO_DEFAULT_PATH NO_CACHE)
if(NOT consumer)
  fail("the consumer was not built in ${build}")
endif()
run(consumer ${consumer} ${WORK_DIR}/consumer.qcode)

set(expected_lines
  "framework consumer: 2 codes"
  "document I1"
  "turns 2, characters"
  "Code A.x")
foreach(line IN LISTS expected_lines)
  string(FIND "${output}" "${line}" at)
  if(at EQUAL -1)
    fail("the consumer's output lacks '${line}':\n${output}")
  endif()
endforeach()
message(STATUS "package test: the consumer built against ${prefix} and printed:\n${output}")
file(REMOVE_RECURSE ${WORK_DIR})
