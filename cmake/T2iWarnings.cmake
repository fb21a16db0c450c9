# One place for the warning and sanitizer flags every target of ours gets.
function(t2i_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wformat=2)
    if(T2I_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(T2I_SANITIZE)
        target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-omit-frame-pointer)
        target_link_options(${target} PUBLIC -fsanitize=address,undefined)
    endif()
    if(T2I_LIBFUZZER)
        # Coverage for libFuzzer in every target of ours; only t2i-libfuzz links the fuzzer's main.
        target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
    endif()
endfunction()
