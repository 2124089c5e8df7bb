# Runs prescreen-gen twice (1 and 2 threads) with one seed and fails unless
# every output file is byte-identical.
file(REMOVE_RECURSE ${OUT}/a ${OUT}/b)
execute_process(COMMAND ${GEN} --out ${OUT}/a --seed 42 --count 10 --threads 1 --max-mp 1.5
                RESULT_VARIABLE ra)
execute_process(COMMAND ${GEN} --out ${OUT}/b --seed 42 --count 10 --threads 2 --max-mp 1.5
                RESULT_VARIABLE rb)
if(NOT ra EQUAL 0 OR NOT rb EQUAL 0)
  message(FATAL_ERROR "prescreen-gen failed: ${ra} ${rb}")
endif()
file(GLOB fa RELATIVE ${OUT}/a ${OUT}/a/*)
file(GLOB fb RELATIVE ${OUT}/b ${OUT}/b/*)
list(LENGTH fa na)
if(NOT "${fa}" STREQUAL "${fb}" OR na LESS 20)
  message(FATAL_ERROR "different file sets (${na} files)")
endif()
foreach(f ${fa})
  file(SHA256 ${OUT}/a/${f} ha)
  file(SHA256 ${OUT}/b/${f} hb)
  if(NOT ha STREQUAL hb)
    message(FATAL_ERROR "${f} differs between runs")
  endif()
endforeach()
message(STATUS "${na} files identical")
