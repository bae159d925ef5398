// A one-connection echo server on the socket the embedder pre-opened (the
// first descriptor from 3 up that is a socket): waits for the connection with
// poll, accepts it, reads until the client shuts its side, answers with a
// prefix and shuts the connection down.
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    int lfd = -1;
    for (int fd = 3; fd < 64 && lfd < 0; fd++) {
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) lfd = fd;
    }
    if (lfd < 0) {
        printf("no socket\n");
        return 1;
    }
    printf("listening socket: fd %d\n", lfd);
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    if (poll(&p, 1, 10000) != 1 || !(p.revents & POLLIN)) {
        printf("no connection\n");
        return 1;
    }
    printf("connection waiting\n");
    struct sockaddr_storage addr;
    socklen_t alen = sizeof addr;
    int c = accept(lfd, (struct sockaddr *)&addr, &alen);
    if (c < 0) {
        printf("accept failed: %d\n", errno);
        return 1;
    }
    printf("accepted: fd %d\n", c);

    char buf[512];
    ssize_t n = recv(c, buf, 5, MSG_WAITALL);
    printf("first 5 (waitall): %.*s\n", (int)n, buf);
    char peek;
    n = recv(c, &peek, 1, MSG_PEEK);
    printf("peek: %zd '%c'\n", n, peek);
    size_t len = 5;
    while ((n = recv(c, buf + len, sizeof buf - len, 0)) > 0) len += (size_t)n;
    if (n < 0) {
        printf("recv failed: %d\n", errno);
        return 1;
    }
    printf("received: %zu bytes\n", len);

    if (write(c, "echo: ", 6) != 6) return 1;
    if (send(c, buf, len, 0) != (ssize_t)len) return 1;
    printf("shutdown: %s\n", shutdown(c, SHUT_RDWR) == 0 ? "ok" : "failed");
    printf("recv on stdout: %s\n", recv(1, buf, 1, 0) < 0 && errno == ENOTSOCK ? "ENOTSOCK" : "other");
    printf("shutdown listener: %s\n", shutdown(lfd, SHUT_RDWR) < 0 && errno == ENOTCAPABLE ? "ENOTCAPABLE" : "other");
    close(c);
    printf("send after close: %s\n", send(c, "x", 1, 0) < 0 && errno == EBADF ? "EBADF" : "other");
    return 0;
}
