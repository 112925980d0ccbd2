#include "corpus.h"

/* socket filters cannot be offloaded */
SEC("socket")
int type_socket(struct __sk_buff *skb)
{
	return 0;
}
