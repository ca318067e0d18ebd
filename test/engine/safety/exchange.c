/*
 * Race helper for the hostile-input suite: swaps directory entries with renameat2(RENAME_EXCHANGE)
 * in a bounded loop, as another user who can write the folder would while LinkTools works.
 *
 *   exchange ITERATIONS STOPFILE A1 B1 [A2 B2 ...]
 *
 * Each round exchanges every pair once (A1<->B1, A2<->B2, ...). It stops after ITERATIONS rounds or
 * as soon as STOPFILE exists (checked every 64 rounds; "-" for none), then swaps each pair that was
 * exchanged an odd number of times once more, so every name that still exists is back where it
 * started. Prints "<exchanges> <failed>" on stdout. A failed exchange (an entry missing for a moment
 * because the tool under test moved or removed it) is counted, not fatal.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int xchg(const char *a, const char *b) {
  return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

int main(int argc, char **argv) {
  if (argc < 5 || (argc - 3) % 2 != 0) {
    fprintf(stderr, "usage: exchange ITERATIONS STOPFILE A1 B1 [A2 B2 ...]\n");
    return 2;
  }
  long rounds = atol(argv[1]);
  const char *stop = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
  int pairs = (argc - 3) / 2;
  char *odd = calloc((size_t)pairs, 1);
  long ok = 0, failed = 0;
  for (long r = 0; r < rounds; r++) {
    if (stop && (r & 63) == 0 && access(stop, F_OK) == 0) break;
    for (int p = 0; p < pairs; p++) {
      if (xchg(argv[3 + 2 * p], argv[4 + 2 * p]) == 0) {
        ok++;
        odd[p] ^= 1;
      } else {
        failed++;
      }
    }
  }
  for (int p = 0; p < pairs; p++)
    if (odd[p] && xchg(argv[3 + 2 * p], argv[4 + 2 * p]) == 0) ok++;
  printf("%ld %ld\n", ok, failed);
  return 0;
}
