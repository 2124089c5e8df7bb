# Document geometry: the synthetic-scene renderer is shared by the test and
# by the measurement tool (not a test: it prints IoU and timings for
# docs/geometry.md).
target_sources(test_document PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/scene.c)
target_link_libraries(test_document PRIVATE PkgConfig::JANSSON)
add_executable(ps_docgeom_measure ${CMAKE_CURRENT_SOURCE_DIR}/tools/docgeom_measure.c
               ${CMAKE_CURRENT_SOURCE_DIR}/scene.c)
target_link_libraries(ps_docgeom_measure PRIVATE ps_testutil PkgConfig::JANSSON PkgConfig::PNG)
