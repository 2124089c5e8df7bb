# bench/shared/import.mjs: converts the shared corpus into SPEC §5 labels.
# The check runs the importer and compares counts and a few labels with the
# source files; it skips (77) when PS_CORPUS_DIR is absent. node is a setup
# dependency; without it the test is not registered.
find_program(PS_NODE node)
if(PS_NODE)
  add_test(NAME importer
           COMMAND ${PS_NODE} ${CMAKE_CURRENT_SOURCE_DIR}/tools/importer_check.mjs)
  set_tests_properties(importer PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT 120
    ENVIRONMENT "PS_SOURCE_DIR=${CMAKE_SOURCE_DIR};PS_CORPUS_DIR=${PS_CORPUS_DIR}")
endif()
