// Per-operation cost of bpf_map_lookup_elem / bpf_map_update_elem on a host ARRAY map
// (__u32 key, __u64 value, 1 entry) through libbpf: the C side of MapFastPathBenchmark.
// Build: gcc -O2 -o map_ops map_ops.c -lbpf.   Run as root: ./map_ops [iterations] [rounds]
// or ./map_ops serve: reads "lookup N" / "update N" lines and answers each with the ns/op of a burst
// of N calls, so that a driver can alternate C and Java bursts (PairedComparison).
#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double burst(int fd, int update, long n)
{
	__u32 key = 0;
	__u64 value = 0;
	double t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		value = i;
		if (update ? bpf_map_update_elem(fd, &key, &value, BPF_ANY) : bpf_map_lookup_elem(fd, &key, &value))
			return -1;
	}
	return (now_ns() - t0) / n;
}

static int serve(int fd)
{
	char op[16];
	long n;

	while (scanf("%15s %ld", op, &n) == 2 && n > 0) {
		printf("%.2f\n", burst(fd, op[0] == 'u', n));
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 2000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	double lookup[64], update[64];
	__u32 key = 0;
	__u64 value = 0;
	int fd, r;
	long i;

	if (argc > 1 && argv[1][0] == 's') {
		fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bench", sizeof(key), sizeof(value), 1, NULL);
		return fd < 0 ? 1 : serve(fd);
	}
	if (rounds < 1 || rounds > 64 || iters < 1) {
		fprintf(stderr, "usage: %s [iterations] [rounds <= 64]\n", argv[0]);
		return 2;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bench", sizeof(key), sizeof(value), 1, NULL);
	if (fd < 0) {
		fprintf(stderr, "bpf_map_create: %d\n", fd);
		return 1;
	}
	for (i = 0; i < iters / 4; i++) { /* warm up */
		bpf_map_update_elem(fd, &key, &value, BPF_ANY);
		bpf_map_lookup_elem(fd, &key, &value);
	}
	for (r = 0; r < rounds; r++) {
		double t0 = now_ns();

		for (i = 0; i < iters; i++) {
			if (bpf_map_lookup_elem(fd, &key, &value))
				return 1;
		}
		double t1 = now_ns();

		for (i = 0; i < iters; i++) {
			value = i;
			if (bpf_map_update_elem(fd, &key, &value, BPF_ANY))
				return 1;
		}
		double t2 = now_ns();

		lookup[r] = (t1 - t0) / iters;
		update[r] = (t2 - t1) / iters;
	}
	qsort(lookup, rounds, sizeof(double), cmp);
	qsort(update, rounds, sizeof(double), cmp);
	printf("c.lookup.ns_per_op %.1f\n", lookup[rounds / 2]);
	printf("c.update.ns_per_op %.1f\n", update[rounds / 2]);
	return 0;
}
