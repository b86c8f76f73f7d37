/* sandbox/host/uid_pool.c: which box uids are in use. */
#include "sandbox/host/uid_pool.h"

static guint
take_ok (UidPool *pool)
{
  guint index = G_MAXUINT;
  g_assert_true (uid_pool_take (pool, &index));
  return index;
}

static void
test_take_lowest_free_first (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (take_ok (pool), ==, i);
}

static void
test_released_index_reused (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (5);
  for (guint i = 0; i < 4; i++)
    take_ok (pool);

  uid_pool_release (pool, 1);
  g_assert_cmpuint (take_ok (pool), ==, 1);

  uid_pool_release (pool, 2);
  uid_pool_release (pool, 0);
  g_assert_cmpuint (take_ok (pool), ==, 0);
  g_assert_cmpuint (take_ok (pool), ==, 2);
  g_assert_cmpuint (take_ok (pool), ==, 4);
}

static void
test_claim_free_index (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (5);
  g_assert_true (uid_pool_claim (pool, 3));
  g_assert_true (uid_pool_claim (pool, 0));
  g_assert_cmpuint (take_ok (pool), ==, 1);
  g_assert_cmpuint (take_ok (pool), ==, 2);
  g_assert_cmpuint (take_ok (pool), ==, 4);
}

static void
test_claim_used_index_fails (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (5);
  g_assert_true (uid_pool_claim (pool, 2));
  g_assert_false (uid_pool_claim (pool, 2));
  g_assert_cmpuint (take_ok (pool), ==, 0);
  g_assert_false (uid_pool_claim (pool, 0));
}

static void
test_claim_after_release (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (3);
  g_assert_true (uid_pool_claim (pool, 1));
  uid_pool_release (pool, 1);
  g_assert_true (uid_pool_claim (pool, 1));
}

static void
test_claim_out_of_range_fails (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (5);
  g_assert_false (uid_pool_claim (pool, 5));
  g_assert_false (uid_pool_claim (pool, 6));
  g_assert_false (uid_pool_claim (pool, G_MAXUINT));
  /* Nothing in range was taken by the failed claims. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (take_ok (pool), ==, i);
}

static void
test_exhaustion (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (3);
  guint index;
  for (guint i = 0; i < 3; i++)
    take_ok (pool);
  g_assert_false (uid_pool_take (pool, &index));
  g_assert_false (uid_pool_take (pool, &index));

  uid_pool_release (pool, 2);
  g_assert_cmpuint (take_ok (pool), ==, 2);
  g_assert_false (uid_pool_take (pool, &index));
}

static void
test_exhaustion_by_claims (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (2);
  guint index;
  g_assert_true (uid_pool_claim (pool, 1));
  g_assert_true (uid_pool_claim (pool, 0));
  g_assert_false (uid_pool_take (pool, &index));
}

static void
test_empty_pool (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (0);
  guint index;
  g_assert_false (uid_pool_take (pool, &index));
  g_assert_false (uid_pool_claim (pool, 0));
}

static void
test_large_pool (void)
{
  g_autoptr (UidPool) pool = uid_pool_new (4096);
  g_assert_true (uid_pool_claim (pool, 4095));
  for (guint i = 0; i < 4095; i++)
    g_assert_cmpuint (take_ok (pool), ==, i);
  guint index;
  g_assert_false (uid_pool_take (pool, &index));
  uid_pool_release (pool, 2500);
  g_assert_cmpuint (take_ok (pool), ==, 2500);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uid-pool/take-lowest-free-first", test_take_lowest_free_first);
  g_test_add_func ("/uid-pool/released-index-reused", test_released_index_reused);
  g_test_add_func ("/uid-pool/claim-free-index", test_claim_free_index);
  g_test_add_func ("/uid-pool/claim-used-index-fails", test_claim_used_index_fails);
  g_test_add_func ("/uid-pool/claim-after-release", test_claim_after_release);
  g_test_add_func ("/uid-pool/claim-out-of-range-fails", test_claim_out_of_range_fails);
  g_test_add_func ("/uid-pool/exhaustion", test_exhaustion);
  g_test_add_func ("/uid-pool/exhaustion-by-claims", test_exhaustion_by_claims);
  g_test_add_func ("/uid-pool/empty-pool", test_empty_pool);
  g_test_add_func ("/uid-pool/large-pool", test_large_pool);
  return g_test_run ();
}
