// Files in the mount at /data: create, write, seek, read, truncate,
// directories and readdir, rename, unlink, symlinks.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(x) do { if (!(x)) { printf("FAIL line %d: %s (errno %d)\n", __LINE__, #x, errno); return 1; } } while (0)

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *path) {
    DIR *d = opendir(path);
    if (!d) { printf("opendir %s failed: %d\n", path, errno); return; }
    char *names[64]; int n = 0; struct dirent *e;
    while ((e = readdir(d)) && n < 64) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("%s:", path);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

int main(void) {
    int fd = open("/data/a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello world\n", 12) == 12);
    CHECK(lseek(fd, 6, SEEK_SET) == 6);
    char buf[64] = {0};
    CHECK(read(fd, buf, sizeof buf) == 6);
    printf("read after seek: %s", buf);
    CHECK(ftruncate(fd, 5) == 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    printf("size after truncate: %lld\n", (long long)st.st_size);
    CHECK(pwrite(fd, "HE", 2, 0) == 2);
    memset(buf, 0, sizeof buf);
    CHECK(pread(fd, buf, 5, 0) == 5);
    printf("pread: %s\n", buf);
    CHECK(close(fd) == 0);

    CHECK(mkdir("/data/sub", 0755) == 0);
    CHECK(mkdir("/data/sub", 0755) == -1 && errno == EEXIST);
    FILE *f = fopen("/data/sub/b.txt", "w");
    CHECK(f);
    fprintf(f, "line %d\n", 42);
    fclose(f);
    f = fopen("/data/sub/b.txt", "a");
    CHECK(f);
    fprintf(f, "appended\n");
    fclose(f);
    f = fopen("/data/sub/b.txt", "r");
    CHECK(f);
    while (fgets(buf, sizeof buf, f)) printf("b.txt: %s", buf);
    fclose(f);
    list("/data");
    list("/data/sub");

    CHECK(rename("/data/a.txt", "/data/sub/c.txt") == 0);
    CHECK(access("/data/a.txt", F_OK) == -1 && errno == ENOENT);
    CHECK(symlink("c.txt", "/data/sub/link") == 0);
    char target[64] = {0};
    CHECK(readlink("/data/sub/link", target, sizeof target) == 5);
    printf("readlink: %s\n", target);
    fd = open("/data/sub/link", O_RDONLY);
    CHECK(fd >= 0);
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, sizeof buf) == 5);
    printf("through link: %s\n", buf);
    close(fd);
    CHECK(lstat("/data/sub/link", &st) == 0 && S_ISLNK(st.st_mode));
    list("/data/sub");

    CHECK(unlink("/data/sub/link") == 0);
    CHECK(unlink("/data/sub/c.txt") == 0);
    CHECK(rmdir("/data/sub") == -1 && errno == ENOTEMPTY);
    CHECK(unlink("/data/sub/b.txt") == 0);
    CHECK(rmdir("/data/sub") == 0);
    CHECK(open("/data/../etc/passwd", O_RDONLY) == -1);
    printf("escape errno: %s\n", errno == ENOTCAPABLE || errno == EPERM || errno == ENOENT ? "denied" : "other");
    list("/data");
    printf("done\n");
    return 0;
}
