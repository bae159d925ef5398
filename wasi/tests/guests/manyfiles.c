// The file-heavy benchmark: creates N small files (argv[1], default 10000)
// of ~100 bytes in a directory (argv[2], default "."), lists the directory,
// reads every file back into a checksum, deletes them all, and prints the
// counts and the checksum (FNV-1a, 32 bits).
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned fnv(unsigned h, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    const char *dir = argc > 2 ? argv[2] : ".";
    char path[512], data[128];
    long written = 0;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/f%06d.txt", dir, i);
        int len = snprintf(data, sizeof data, "file %d of %d: ", i, n);
        for (; len < 99; len++) data[len] = (char)('a' + (i + len) % 26);
        data[len++] = '\n';
        int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
        if (fd < 0 || write(fd, data, len) != len || close(fd) != 0) {
            printf("cannot write %s\n", path);
            return 1;
        }
        written += len;
    }
    DIR *d = opendir(dir);
    if (!d) {
        printf("cannot list %s\n", dir);
        return 1;
    }
    int listed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "f", 1) == 0 && strstr(e->d_name, ".txt")) listed++;
    }
    closedir(d);
    unsigned h = 2166136261u;
    long read_back = 0;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/f%06d.txt", dir, i);
        int fd = open(path, O_RDONLY);
        ssize_t got = fd < 0 ? -1 : read(fd, data, sizeof data);
        if (got <= 0 || close(fd) != 0) {
            printf("cannot read %s\n", path);
            return 1;
        }
        h = fnv(h, data, (size_t)got);
        read_back += got;
    }
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/f%06d.txt", dir, i);
        if (unlink(path) != 0) {
            printf("cannot delete %s\n", path);
            return 1;
        }
    }
    printf("files: %d\nlisted: %d\nwritten: %ld\nread: %ld\nchecksum: %08x\n", n, listed, written, read_back, h);
    return 0;
}
