#include "corpus.h"

/* TC_ACT_OK is refused at exit by the NFP driver */
SEC("tc")
int nfpsim_tc_ok(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}
