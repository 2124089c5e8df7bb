# The review pages' CSS and JS are embedded into the library at build time:
# embed.cmake turns each file below into a byte array in a generated header
# that src/http/assets.c includes. Nothing is read from disk at run time.
# Each entry: file name : media type (UTF-8 is added) : 1 when served without a session.
set(PS_STATIC_DIR ${CMAKE_SOURCE_DIR}/src/http/static)
set(PS_STATIC_ASSETS
    "style.css:text/css:1"
    "review.js:text/javascript:0")
set(PS_STATIC_FILES "")
foreach(a ${PS_STATIC_ASSETS})
  string(REPLACE ":" ";" parts "${a}")
  list(GET parts 0 f)
  list(APPEND PS_STATIC_FILES ${PS_STATIC_DIR}/${f})
endforeach()
set(PS_STATIC_HEADER ${CMAKE_BINARY_DIR}/generated/ps_static_assets.h)
string(REPLACE ";" "," PS_STATIC_ASSETS_ARG "${PS_STATIC_ASSETS}")
add_custom_command(
  OUTPUT ${PS_STATIC_HEADER}
  COMMAND ${CMAKE_COMMAND} -DIN_DIR=${PS_STATIC_DIR} "-DASSETS=${PS_STATIC_ASSETS_ARG}"
          -DOUT=${PS_STATIC_HEADER} -P ${PS_STATIC_DIR}/embed.cmake
  DEPENDS ${PS_STATIC_FILES} ${PS_STATIC_DIR}/embed.cmake
  COMMENT "Embedding the review pages' static assets")
target_sources(prescreen_lib PRIVATE ${PS_STATIC_HEADER})
target_include_directories(prescreen_lib PRIVATE ${CMAKE_BINARY_DIR}/generated)
