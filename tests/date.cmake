# The date suite in corpus mode: parses the date labels of the shared corpus
# (skips with 77 when the corpus is absent).
add_test(NAME test_date_corpus COMMAND test_date --corpus)
set_tests_properties(test_date_corpus PROPERTIES
  SKIP_RETURN_CODE 77
  ENVIRONMENT "PS_SOURCE_DIR=${CMAKE_SOURCE_DIR};PS_CORPUS_DIR=${PS_CORPUS_DIR}")
