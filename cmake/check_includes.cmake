cmake_minimum_required(VERSION 3.18)
# check_includes.cmake -- run by the build (cmake -P) for one module of
# src/: fails when a file of the module includes a header of a module it
# did not declare (directly or through its declared modules), or declares
# an `extern` symbol in a .c file (the way around an include: the engine
# once reached the models through `extern const sim_model_ops ...`).
#   -DMODULE=name -DALLOWED="a;b;c" -DFILES="f1;f2" -DSTAMP=file
string(REPLACE "|" ";" FILES "${FILES}")
string(REPLACE "|" ";" ALLOWED "${ALLOWED}")
foreach(f ${FILES})
  file(STRINGS "${f}" lines REGEX "^[ \t]*(#[ \t]*include[ \t]+\"[a-z_0-9]+/|extern[ \t])")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]+\"([a-z_0-9]+)/")
      set(mod "${CMAKE_MATCH_1}")
      if(NOT mod IN_LIST ALLOWED)
        list(APPEND errors "${f}: includes \"${mod}/...\", but module '${MODULE}' may use only: ${ALLOWED} (declare the dependency in CMakeLists.txt if it runs downwards; otherwise move the code)")
      endif()
    elseif(f MATCHES "\\.c$" AND line MATCHES "^extern[ \t]")
      list(APPEND errors "${f}: '${line}': declare shared symbols in a header of their module, not with extern in a .c file")
    endif()
  endforeach()
endforeach()
if(errors)
  string(REPLACE ";" "\n" msg "${errors}")
  message(FATAL_ERROR "module layering violated:\n${msg}")
endif()
file(WRITE "${STAMP}" "ok\n")
