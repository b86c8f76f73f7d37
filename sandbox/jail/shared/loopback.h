#pragma once

/* Brings up the loopback interface of the calling thread's network
 * namespace: without it a private namespace would not even have one. One
 * already up is left alone, so that the kernel's network lock is not
 * taken. 0, or the errno of what failed. Makes system calls only: used by
 * the daemon (netns_pool.c) and by the proxy (zygote/proxy.c). */
int loopback_up (void);
