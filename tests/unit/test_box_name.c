/* utils/box_name.c: which names a box may have (docs/interface.md, "The root of the mount"). */
#include "utils/box_name.h"

#include <gio/gio.h>
#include <string.h>

static void
assert_valid (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_test_message ("valid: '%s'", name);
  g_assert_true (box_name_validate (name, &error));
  g_assert_no_error (error);
}

static void
assert_invalid (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_test_message ("invalid: '%s'", name);
  g_assert_false (box_name_validate (name, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_valid_names (void)
{
  const char *const names[] = {
    "a", "alice1", "Alice_1", "a.b-c", "A-Z_0-9", "_", "-x", "0", "a.", "a..b", "box.tar.gz",
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    assert_valid (names[i]);
}

static void
test_64_characters_is_the_longest (void)
{
  char name[BOX_NAME_MAX + 2];
  g_assert_cmpint (BOX_NAME_MAX, ==, 64);

  memset (name, 'a', BOX_NAME_MAX);
  name[BOX_NAME_MAX] = '\0';
  assert_valid (name);

  name[BOX_NAME_MAX] = 'a';
  name[BOX_NAME_MAX + 1] = '\0';
  assert_invalid (name);
}

static void
test_empty_name_invalid (void)
{
  assert_invalid ("");
}

static void
test_leading_dot_reserved (void)
{
  assert_invalid (".");
  assert_invalid ("..");
  assert_invalid (".hidden");
  assert_invalid (".a");
}

static void
test_slash_and_space_invalid (void)
{
  assert_invalid ("/");
  assert_invalid ("a/b");
  assert_invalid ("a/");
  assert_invalid ("a b");
  assert_invalid (" a");
  assert_invalid ("a ");
  assert_invalid ("a\tb");
  assert_invalid ("a\n");
}

static void
test_other_punctuation_invalid (void)
{
  const char *const names[] = { "a*", "a:b", "a=b", "a~", "a$b", "a\\b", "a'b", "a,b", "a+b" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    assert_invalid (names[i]);
}

static void
test_unicode_invalid (void)
{
  assert_invalid ("caf\xc3\xa9");  /* café */
  assert_invalid ("b\xc3\xb8x");   /* bøx */
  assert_invalid ("\xe7\xae\xb1"); /* 箱 */
  assert_invalid ("a\xef\xbc\x8f"
                  "b"); /* a／b, fullwidth solidus */
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/box-name/valid", test_valid_names);
  g_test_add_func ("/box-name/64-characters-longest", test_64_characters_is_the_longest);
  g_test_add_func ("/box-name/empty-invalid", test_empty_name_invalid);
  g_test_add_func ("/box-name/leading-dot-reserved", test_leading_dot_reserved);
  g_test_add_func ("/box-name/slash-and-space-invalid", test_slash_and_space_invalid);
  g_test_add_func ("/box-name/other-punctuation-invalid", test_other_punctuation_invalid);
  g_test_add_func ("/box-name/unicode-invalid", test_unicode_invalid);
  return g_test_run ();
}
