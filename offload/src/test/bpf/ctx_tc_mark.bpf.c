#include "corpus.h"

/* __sk_buff.mark cannot be read by the NFP JIT */
SEC("tc")
int ctx_tc_mark(struct __sk_buff *skb)
{
	return skb->mark ? TC_ACT_SHOT : TC_ACT_UNSPEC;
}
