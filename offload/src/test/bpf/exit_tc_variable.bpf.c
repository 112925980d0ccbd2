#include "corpus.h"

/* TC must return a constant */
SEC("tc")
int exit_tc_variable(struct __sk_buff *skb)
{
	return skb->len & 8;
}
