#pragma once

#include <glib.h>

/* The daemon at rest, for a test that compares what it holds before and
 * after some work (descriptors, memory).
 *
 * Once a box is removed the daemon still has work in flight, each piece
 * bounded, each holding descriptors while it lasts: the last run's proxy is
 * reaped by a child watch on the main loop (a pidfd and the run's pipes); a
 * jail prepared ahead and dropped is killed and reaped by the jail-builder
 * thread (its pipes, socket, eventfd and a copy of the box's network
 * namespace); the pool of network namespaces (netns_pool.h) refills on a
 * timer, one namespace every 100 ms at the lowest priority, up to
 * prepare_new_boxes. On a loaded machine any of these may wait a long time
 * for a CPU, so a count that merely stopped changing for a while may be
 * taken in the middle of one.
 *
 * At rest none is in flight: no jail has a proxy (alive or unreaped), every
 * thread of the daemon sleeps (one that reaped a proxy but has not closed
 * its descriptors yet is running or runnable), and the main loop waits with
 * no timer pending (the pool's timer runs until the pool is full). */

/* Waits for the daemon to be at rest and returns how many descriptors it
 * holds then. Fails the test if it does not come to rest within a minute,
 * saying what still moves. */
guint daemon_wait_idle (GPid daemon);
