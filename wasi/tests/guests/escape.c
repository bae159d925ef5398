// Tries to get out of its mounts through ordinary libc calls: `..`,
// absolute paths, symbolic links pointing out (and looping), hard links and
// renames out of a mount or across mounts, and every kind of change on a
// read-only mount. Expects a read-write mount at /data holding a.txt and an
// empty directory dir, a read-only mount at /ro holding ro.txt and an empty
// directory sub, and nothing else. Prints one line per attempt with the errno
// name it got, or "ok" if the call succeeded (an escape); lines starting with
// "control" are calls that must succeed, to show the attempts fail for the
// right reason. Exits with the number of unexpected results.
//
// With the argument "step", the guest reads one byte from stdin after each
// line it prints, so the host can inspect its file system between attempts.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static int unexpected;
static int stepping;

// Hands the line just printed to the host and, when stepping, waits for its
// go-ahead (end of input ends the waiting).
static void step(void) {
    fflush(stdout);
    char c;
    if (stepping) (void)read(0, &c, 1);
}

static const char *ename(int e) {
    static char buf[16];
    switch (e) {
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EROFS: return "EROFS";
    case EXDEV: return "EXDEV";
    case ELOOP: return "ELOOP";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTSUP: return "ENOTSUP";
    case ENOSYS: return "ENOSYS";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    default: snprintf(buf, sizeof buf, "E%d", e); return buf;
    }
}

// One line of output: `what: result`.
static void say(const char *what, const char *result) {
    printf("%s: %s\n", what, result);
    step();
}

// A call returning -1 on failure: prints the errno name, or "ok" (an escape).
static void refused(const char *what, int rc) {
    if (rc < 0) {
        say(what, ename(errno));
    } else {
        unexpected++;
        say(what, "ok");
    }
}

// The same for calls returning a descriptor, which is closed again.
static void refused_fd(const char *what, int fd) {
    refused(what, fd);
    if (fd >= 0) close(fd);
}

static void refused_dir(const char *what, DIR *d) {
    refused(what, d ? 0 : -1);
    if (d) closedir(d);
}

// A call that must succeed: prints "ok", or "FAILED" and the errno name.
static void control(const char *what, int rc) {
    char line[128];
    snprintf(line, sizeof line, "control %s", what);
    if (rc < 0) {
        char result[32];
        snprintf(result, sizeof result, "FAILED %s", ename(errno));
        unexpected++;
        say(line, result);
    } else {
        say(line, "ok");
    }
}

// Reads a file that must be readable and prints its contents.
static void control_read(const char *path) {
    char what[128], buf[64] = {0};
    snprintf(what, sizeof what, "read %s", path);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0) close(fd);
    if (n < 0) {
        control(what, -1);
    } else {
        char line[160];
        snprintf(line, sizeof line, "control %s", what);
        say(line, buf);
    }
}

// Reads a symbolic link that must be readable and prints its contents.
static void control_readlink(const char *path) {
    char what[128], buf[64] = {0};
    snprintf(what, sizeof what, "readlink %s", path);
    if (readlink(path, buf, sizeof buf - 1) < 0) {
        control(what, -1);
    } else {
        char line[160];
        snprintf(line, sizeof line, "control %s", what);
        say(line, buf);
    }
}

int main(int argc, char **argv) {
    stepping = argc > 1 && strcmp(argv[1], "step") == 0;
    char buf[64];
    struct timeval tv[2] = {{1, 0}, {1, 0}};
    struct timespec ts[2] = {{1, 0}, {1, 0}};

    control_read("/data/a.txt");
    control_read("/ro/ro.txt");

    // `..` and absolute paths.
    refused_fd("open /data/../outside/secret.txt", open("/data/../outside/secret.txt", O_RDONLY));
    refused_fd("open /data/../../etc/passwd", open("/data/../../etc/passwd", O_RDONLY));
    refused_fd("open /data/dir/../../outside/secret.txt",
               open("/data/dir/../../outside/secret.txt", O_RDONLY));
    refused_fd("open /data//.//../outside/secret.txt", open("/data//.//../outside/secret.txt", O_RDONLY));
    refused_fd("open /etc/passwd", open("/etc/passwd", O_RDONLY));
    refused_fd("open ../outside/secret.txt", open("../outside/secret.txt", O_RDONLY));
    refused_fd("create /data/../outside/new.txt",
               open("/data/../outside/new.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644));
    refused_fd("create /new.txt", open("/new.txt", O_WRONLY | O_CREAT, 0644));
    int data = open("/data", O_RDONLY | O_DIRECTORY);
    control("open /data", data);
    refused_fd("openat /data ../secret.txt", openat(data, "../secret.txt", O_RDONLY));
    refused_fd("openat /data ../outside/secret.txt", openat(data, "../outside/secret.txt", O_RDONLY));
    refused_fd("openat /data ..", openat(data, "..", O_RDONLY | O_DIRECTORY));
    refused_fd("openat /data /etc/passwd", openat(data, "/etc/passwd", O_RDONLY));
    refused_dir("opendir /data/..", opendir("/data/.."));
    refused_dir("opendir /data/../outside", opendir("/data/../outside"));
    refused_dir("opendir /", opendir("/"));
    struct stat st;
    refused("stat /data/../outside", stat("/data/../outside", &st));
    refused("stat /data/../outside/secret.txt", stat("/data/../outside/secret.txt", &st));
    refused("stat /data/..", stat("/data/..", &st));
    refused("mkdir /data/../evil", mkdir("/data/../evil", 0755));
    refused("rmdir /data/../outside", rmdir("/data/../outside"));
    refused("unlink /data/../outside/secret.txt", unlink("/data/../outside/secret.txt"));
    refused("utimes /data/../outside/secret.txt", utimes("/data/../outside/secret.txt", tv));
    refused("truncate /data/../outside/secret.txt", truncate("/data/../outside/secret.txt", 0));
    refused("readlink /data/../outside", (int)readlink("/data/../outside", buf, sizeof buf));
    int cd = chdir("/data");
    control("chdir /data", cd);
    if (cd == 0) {
        refused_fd("open ../outside/secret.txt after chdir /data", open("../outside/secret.txt", O_RDONLY));
        refused("chdir ..", chdir(".."));
        chdir("/");
    }

    // Symbolic links pointing out, planted by the guest.
    refused("symlink /etc/passwd /data/l1", symlink("/etc/passwd", "/data/l1"));
    control("symlink ../outside/secret.txt /data/l2", symlink("../outside/secret.txt", "/data/l2"));
    control("symlink ../outside /data/od", symlink("../outside", "/data/od"));
    control("symlink ../outside/created.txt /data/l3", symlink("../outside/created.txt", "/data/l3"));
    control("symlink ../ro/ro.txt /data/toro", symlink("../ro/ro.txt", "/data/toro"));
    refused_fd("open /data/l1", open("/data/l1", O_RDONLY));
    refused_fd("open /data/l2", open("/data/l2", O_RDONLY));
    refused_fd("open /data/l2 O_NOFOLLOW", open("/data/l2", O_RDONLY | O_NOFOLLOW));
    refused_fd("open /data/l2 for writing", open("/data/l2", O_WRONLY | O_TRUNC));
    refused_fd("open /data/l2 O_NOFOLLOW for writing", open("/data/l2", O_WRONLY | O_NOFOLLOW));
    refused_fd("create through dangling /data/l3", open("/data/l3", O_WRONLY | O_CREAT, 0644));
    refused_fd("open /data/toro", open("/data/toro", O_RDONLY));
    refused_fd("open /data/od/secret.txt", open("/data/od/secret.txt", O_RDONLY));
    refused_fd("create /data/od/new.txt", open("/data/od/new.txt", O_WRONLY | O_CREAT, 0644));
    refused_fd("open /data/od/ as a directory", open("/data/od/", O_RDONLY | O_DIRECTORY));
    refused_dir("opendir /data/od", opendir("/data/od"));
    refused_fd("openat /data l2", openat(data, "l2", O_RDONLY));
    refused("stat /data/l2", stat("/data/l2", &st));
    refused("stat /data/od/secret.txt", stat("/data/od/secret.txt", &st));
    refused("mkdir /data/od/evil", mkdir("/data/od/evil", 0755));
    refused("unlink /data/od/secret.txt", unlink("/data/od/secret.txt"));
    refused("rmdir /data/od/.", rmdir("/data/od/."));
    refused("utimes /data/l2", utimes("/data/l2", tv));
    refused("truncate /data/l2", truncate("/data/l2", 0));
    refused("readlink /data/l1", (int)readlink("/data/l1", buf, sizeof buf));
    refused("readlink /data/od/secret.txt", (int)readlink("/data/od/secret.txt", buf, sizeof buf));
    control_readlink("/data/l2");
    control_readlink("/data/od");
    control("lstat /data/l2", lstat("/data/l2", &st) == 0 && S_ISLNK(st.st_mode) ? 0 : -1);

    // A chain of links that loops.
    control("symlink loop2 /data/loop1", symlink("loop2", "/data/loop1"));
    control("symlink loop1 /data/loop2", symlink("loop1", "/data/loop2"));
    refused_fd("open /data/loop1", open("/data/loop1", O_RDONLY));
    refused("stat /data/loop1", stat("/data/loop1", &st));
    refused_fd("create /data/loop1/x", open("/data/loop1/x", O_WRONLY | O_CREAT, 0644));

    // `..` after a symbolically linked directory is the physical parent.
    control("mkdir /data/dir/deeper", mkdir("/data/dir/deeper", 0755));
    control("symlink dir/deeper /data/dl", symlink("dir/deeper", "/data/dl"));
    control_read("/data/dl/../../a.txt");
    DIR *dl = opendir("/data/dl");
    control("opendir /data/dl", dl ? 0 : -1);
    if (dl) closedir(dl);
    int dlfd = open("/data/dl", O_RDONLY | O_DIRECTORY);
    control("open /data/dl O_DIRECTORY", dlfd);
    if (dlfd >= 0) close(dlfd);
    refused_fd("open /data/dl O_DIRECTORY | O_NOFOLLOW", open("/data/dl", O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
    refused_fd("open /data/dl/../../outside/secret.txt", open("/data/dl/../../outside/secret.txt", O_RDONLY));
    refused_fd("open /data/dl/../../../outside/secret.txt",
               open("/data/dl/../../../outside/secret.txt", O_RDONLY));
    refused_fd("open /data/od/../mount/a.txt", open("/data/od/../mount/a.txt", O_RDONLY));

    // Hard links out of the mount, into it, and across mounts.
    refused("link /data/a.txt /data/../outside/x", link("/data/a.txt", "/data/../outside/x"));
    refused("link /data/a.txt /data/od/x", link("/data/a.txt", "/data/od/x"));
    refused("link /data/../outside/secret.txt /data/stolen",
            link("/data/../outside/secret.txt", "/data/stolen"));
    refused("link /data/od/secret.txt /data/stolen", link("/data/od/secret.txt", "/data/stolen"));
    refused("linkat /data/l2 /data/stolen following",
            linkat(data, "l2", data, "stolen", AT_SYMLINK_FOLLOW));
    refused("link /etc/passwd /data/stolen", link("/etc/passwd", "/data/stolen"));
    refused("link /data/a.txt /ro/a.txt", link("/data/a.txt", "/ro/a.txt"));
    refused("link /ro/ro.txt /data/ro.txt", link("/ro/ro.txt", "/data/ro.txt"));

    // Renames out of the mount and across mounts.
    refused("rename /data/a.txt /data/../outside/a.txt", rename("/data/a.txt", "/data/../outside/a.txt"));
    refused("rename /data/a.txt /data/od/a.txt", rename("/data/a.txt", "/data/od/a.txt"));
    refused("rename /data/../outside/secret.txt /data/got",
            rename("/data/../outside/secret.txt", "/data/got"));
    refused("rename /data/od/secret.txt /data/got", rename("/data/od/secret.txt", "/data/got"));
    refused("rename /data/a.txt /etc/a.txt", rename("/data/a.txt", "/etc/a.txt"));
    refused("rename /data/a.txt /ro/a.txt", rename("/data/a.txt", "/ro/a.txt"));
    refused("rename /ro/ro.txt /data/ro.txt", rename("/ro/ro.txt", "/data/ro.txt"));
    refused("rename /data/dir /ro/dir", rename("/data/dir", "/ro/dir"));

    // Every change on the read-only mount.
    refused_fd("create /ro/new.txt", open("/ro/new.txt", O_WRONLY | O_CREAT, 0644));
    refused_fd("create /ro/ro.txt O_TRUNC", open("/ro/ro.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644));
    refused_fd("open /ro/ro.txt O_TRUNC", open("/ro/ro.txt", O_RDWR | O_TRUNC));
    refused_fd("open /ro/ro.txt O_APPEND", open("/ro/ro.txt", O_WRONLY | O_APPEND));
    // wasi-libc asks only for the rights the directory can hand on, so a
    // plain O_WRONLY open gets a descriptor without the write right.
    int ro = open("/ro/ro.txt", O_RDWR);
    control("open /ro/ro.txt O_RDWR", ro);
    if (ro >= 0) {
        refused("write /ro/ro.txt", (int)write(ro, "x", 1));
        refused("pwrite /ro/ro.txt", (int)pwrite(ro, "x", 1, 0));
        refused("ftruncate /ro/ro.txt", ftruncate(ro, 0));
        refused("futimens /ro/ro.txt", futimens(ro, ts));
        close(ro);
    }
    refused("truncate /ro/ro.txt", truncate("/ro/ro.txt", 0));
    refused("unlink /ro/ro.txt", unlink("/ro/ro.txt"));
    refused("mkdir /ro/new", mkdir("/ro/new", 0755));
    refused("rmdir /ro/sub", rmdir("/ro/sub"));
    refused("utimes /ro/ro.txt", utimes("/ro/ro.txt", tv));
    refused("utimensat /ro/sub", utimensat(AT_FDCWD, "/ro/sub", ts, 0));
    refused("symlink ro.txt /ro/l", symlink("ro.txt", "/ro/l"));
    refused("rename /ro/ro.txt /ro/moved.txt", rename("/ro/ro.txt", "/ro/moved.txt"));
    refused("link /ro/ro.txt /ro/again.txt", link("/ro/ro.txt", "/ro/again.txt"));
    int sub = open("/ro/sub", O_RDONLY | O_DIRECTORY);
    control("open /ro/sub", sub);
    if (sub >= 0) {
        refused("mkdirat /ro/sub x", mkdirat(sub, "x", 0755));
        refused_fd("openat /ro/sub x O_CREAT", openat(sub, "x", O_WRONLY | O_CREAT, 0644));
        refused("renameat /data/a.txt /ro/sub/a.txt", renameat(data, "a.txt", sub, "a.txt"));
        close(sub);
    }
    close(data);

    control_read("/data/a.txt");
    control_read("/ro/ro.txt");
    printf("unexpected: %d\n", unexpected);
    step();
    return unexpected;
}
