#include "corpus.h"

/* TC programs cannot store to the context */
SEC("tc")
int ctx_tc_store(struct __sk_buff *skb)
{
	skb->mark = 1;
	return TC_ACT_UNSPEC;
}
