/*
 * The floor for scripts/bench_scan: a bare TCP connect scanner in C. Non-blocking connects
 * watched with epoll, one thread per core (or THREADS), each over its own contiguous share of
 * the port range, at most WINDOW connects in flight per thread. Prints each open port on a line
 * of its own ("PORT open"), then "open N" on stderr. A loopback self-connect (the kernel picked
 * the target port as the source port) is not an open port and is not counted.
 *
 * Build: cc -O2 -pthread -o connect_scan connect_scan.c
 * Usage: connect_scan HOST [FIRST LAST [THREADS]]   (IPv4 HOST; default ports 1-65535)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define WINDOW 512

struct share {
  struct in_addr host;
  int first, last; /* inclusive */
  int *open;       /* one flag per port, shared (disjoint ranges) */
  int found;
};

/* Whether the connected socket is a self-connect onto its own port. */
static int self_connect(int fd, int port) {
  struct sockaddr_in local;
  socklen_t len = sizeof local;
  if (getsockname(fd, (struct sockaddr *)&local, &len) != 0) return 0;
  return ntohs(local.sin_port) == port;
}

/* Starts a connect to port; returns the fd while it is in flight, -1 when it settled at once. */
static int start(struct share *s, int ep, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) { perror("socket"); exit(3); }
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr = s->host};
  if (connect(fd, (struct sockaddr *)&to, sizeof to) == 0) {
    if (!self_connect(fd, port)) { s->open[port] = 1; s->found++; }
    close(fd);
    return -1;
  }
  if (errno != EINPROGRESS) { close(fd); return -1; }
  struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = ((uint64_t)port << 32) | (uint32_t)fd};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) { perror("epoll_ctl"); exit(3); }
  return fd;
}

static void *scan(void *arg) {
  struct share *s = arg;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) { perror("epoll_create1"); exit(3); }
  struct epoll_event events[WINDOW];
  int next = s->first, inflight = 0;
  while (next <= s->last || inflight > 0) {
    while (inflight < WINDOW && next <= s->last) {
      if (start(s, ep, next++) >= 0) inflight++;
    }
    int n = epoll_wait(ep, events, WINDOW, 1000);
    if (n < 0 && errno != EINTR) { perror("epoll_wait"); exit(3); }
    for (int i = 0; i < n; i++) {
      int fd = (int)(uint32_t)events[i].data.u64, port = (int)(events[i].data.u64 >> 32);
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0 && !self_connect(fd, port)) { s->open[port] = 1; s->found++; }
      close(fd); /* closing removes it from the epoll set */
      inflight--;
    }
  }
  close(ep);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: %s HOST [FIRST LAST [THREADS]]\n", argv[0]); return 2; }
  struct in_addr host;
  if (inet_pton(AF_INET, argv[1], &host) != 1) { fprintf(stderr, "bad IPv4 address \"%s\"\n", argv[1]); return 2; }
  int first = argc > 3 ? atoi(argv[2]) : 1, last = argc > 3 ? atoi(argv[3]) : 65535;
  long threads = argc > 4 ? atol(argv[4]) : sysconf(_SC_NPROCESSORS_ONLN);
  if (first < 1 || last > 65535 || first > last || threads < 1 || threads > 256) {
    fprintf(stderr, "bad range %d-%d or thread count %ld\n", first, last, threads);
    return 2;
  }
  static int open[65536];
  struct share shares[256];
  pthread_t ids[256];
  int span = last - first + 1;
  for (long t = 0; t < threads; t++) {
    shares[t] = (struct share){.host = host, .open = open, .found = 0,
                               .first = first + (int)(span * t / threads),
                               .last = first + (int)(span * (t + 1) / threads) - 1};
    if (pthread_create(&ids[t], NULL, scan, &shares[t]) != 0) { perror("pthread_create"); return 3; }
  }
  int found = 0;
  for (long t = 0; t < threads; t++) {
    pthread_join(ids[t], NULL);
    found += shares[t].found;
  }
  for (int p = first; p <= last; p++) if (open[p]) printf("%d open\n", p);
  fprintf(stderr, "open %d\n", found);
  return 0;
}
