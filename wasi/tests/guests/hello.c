// printf, args, environment and the exit code.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("hello from wasi, argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    const char *g = getenv("GREETING");
    printf("GREETING=%s\n", g ? g : "(unset)");
    printf("MISSING=%s\n", getenv("MISSING") ? "set" : "(unset)");
    fprintf(stderr, "to stderr\n");
    return argc > 1 ? atoi(argv[1]) : 0;
}
