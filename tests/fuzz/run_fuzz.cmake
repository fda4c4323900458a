# SPDX-License-Identifier: GPL-2.0-only
#
# Runs one libFuzzer target; fails if it finds a crash, a leak or a hang.
# cmake -DFUZZER=<binary> -DSEEDS=<seed dir> -DCORPUS=<work corpus dir>
#       -DARTIFACTS=<dir> -DSECONDS=<n> [-DRUNS=<n>] [-DDICT=<file>]
#       [-DFRESH=ON] -P run_fuzz.cmake
# The seeds are copied into CORPUS (emptied first with FRESH, so a smoke
# run always starts from the same inputs) because libFuzzer writes the new
# inputs it finds into its corpus directory and the source tree must stay
# clean. For long runs the environment variable FUZZ_SECONDS, if set,
# overrides SECONDS (`make fuzz-long FUZZ_SECONDS=60`).

foreach(var FUZZER SEEDS CORPUS ARTIFACTS SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzz.cmake: ${var} not set")
  endif()
endforeach()
if(NOT FRESH AND DEFINED ENV{FUZZ_SECONDS})
  set(SECONDS $ENV{FUZZ_SECONDS})
endif()

if(FRESH)
  file(REMOVE_RECURSE ${CORPUS})
endif()
file(MAKE_DIRECTORY ${CORPUS} ${ARTIFACTS})
if(IS_DIRECTORY ${SEEDS})
  file(COPY ${SEEDS}/ DESTINATION ${CORPUS})
endif()

# -timeout: an input that takes 10 s is a hang, reported like a crash.
set(args -max_total_time=${SECONDS} -timeout=10 -print_final_stats=1
    -artifact_prefix=${ARTIFACTS}/)
if(DEFINED RUNS)
  list(APPEND args -runs=${RUNS})
endif()
if(DEFINED DICT AND EXISTS ${DICT})
  list(APPEND args -dict=${DICT})
endif()

execute_process(COMMAND ${FUZZER} ${args} ${CORPUS} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${rc}); the input that did it is "
    "in ${ARTIFACTS}/ (rerun: ${FUZZER} <file>)")
endif()
