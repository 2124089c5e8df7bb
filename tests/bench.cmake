# test_bench also unit-tests the label parser of `prescreen bench`, which
# lives in src/cli (outside prescreen_lib).
target_sources(test_bench PRIVATE ${CMAKE_SOURCE_DIR}/src/cli/bench_score.c)
