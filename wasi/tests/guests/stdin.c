// stdin line by line: each line echoed in upper case with its number, then
// the line and byte counts. Exit code 3 when stdin is empty.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lines = 0, bytes = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        lines++;
        bytes += n;
        for (ssize_t i = 0; i < n; i++) line[i] = (char)toupper((unsigned char)line[i]);
        printf("%ld: %s%s", lines, line, line[n - 1] == '\n' ? "" : "\n");
    }
    free(line);
    printf("lines: %ld\nbytes: %ld\n", lines, bytes);
    return lines == 0 ? 3 : 0;
}
