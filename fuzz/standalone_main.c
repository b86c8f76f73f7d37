/* A small driver for the harnesses when libFuzzer is not there (gcc builds):
 *   fuzz-standalone-NAME CORPUS_DIR [ITERATIONS [SECONDS]]
 * runs every file of CORPUS_DIR through LLVMFuzzerTestOneInput, then
 * ITERATIONS (default 20000) inputs made by mutating corpus entries with a
 * fixed seed, so a run is repeatable, stopping early after SECONDS (default
 * 20). A failed property aborts, which the test harness reports. Set
 * FUZZ_VERBOSE=1 to print each generated input's size before running it. */

#include "fuzz_common.h"

#include <glib/gstdio.h>

typedef struct
{
  guint8 *data;
  gsize size;
} Input;

static guint64 rng_state = 0x9E3779B97F4A7C15ULL;

static guint64
next_random (void)
{
  /* xorshift64*: tiny, and the same everywhere. */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}

static gsize
below (gsize n)
{
  return n == 0 ? 0 : (gsize) (next_random () % n);
}

/* Pieces the parsers care about, spliced in whole. */
static const char *const tokens[] = {
  "\n",
  "=",
  ":",
  "/",
  "..",
  "unlimited",
  "0",
  "1",
  "-1",
  ".",
  "K",
  "M",
  "G",
  "T",
  "iB",
  "B",
  " ",
  "\t",
  "\"",
  "\\",
  "{",
  "}",
  "[",
  "]",
  ",",
  "version",
  "settings",
  ":rw",
  ":tmp",
  ":maybe",
  ":fs",
  ":dev",
  ":noexec",
  "=/",
  "[isolatefs]",
  "#",
  "18446744073709551615",
  "9223372036854775807",
  "604800",
  "604800.0005",
  "0.0004",
  "4294967295",
  "max_",
  "default_",
  "mem",
  "time",
  "\xff",
  "\xc3\xa9",
};

#define MAX_SIZE 4096

static void
insert_bytes (GByteArray *buf, guint at, const void *data, gsize n)
{
  guint old = buf->len;
  g_byte_array_set_size (buf, old + (guint) n);
  memmove (buf->data + at + n, buf->data + at, old - at);
  memcpy (buf->data + at, data, n);
}

static void
mutate (GByteArray *buf, GPtrArray *corpus)
{
  guint rounds = 1 + (guint) below (8);
  for (guint r = 0; r < rounds; r++)
    {
      switch (below (7))
        {
        case 0: /* flip a bit */
          if (buf->len > 0)
            buf->data[below (buf->len)] ^= (guint8) (1u << below (8));
          break;
        case 1: /* set a random byte */
          if (buf->len > 0)
            buf->data[below (buf->len)] = (guint8) next_random ();
          break;
        case 2: /* insert a random byte */
          {
            guint8 byte = (guint8) next_random ();
            insert_bytes (buf, (guint) below (buf->len + 1), &byte, 1);
            break;
          }
        case 3: /* delete a run */
          if (buf->len > 0)
            {
              guint at = (guint) below (buf->len);
              guint n = 1 + (guint) below (MIN (buf->len - at, 16u));
              g_byte_array_remove_range (buf, at, n);
            }
          break;
        case 4: /* splice in a token */
          {
            const char *token = tokens[below (G_N_ELEMENTS (tokens))];
            insert_bytes (buf, (guint) below (buf->len + 1), token, strlen (token));
            break;
          }
        case 5: /* splice in a piece of another corpus entry */
          if (corpus->len > 0)
            {
              const Input *other = corpus->pdata[below (corpus->len)];
              if (other->size == 0)
                break;
              gsize from = below (other->size);
              gsize n = 1 + below (other->size - from);
              insert_bytes (buf, (guint) below (buf->len + 1), other->data + from, n);
            }
          break;
        case 6: /* duplicate a run */
          if (buf->len > 0)
            {
              guint at = (guint) below (buf->len);
              guint n = 1 + (guint) below (buf->len - at);
              g_autofree guint8 *copy = g_memdup2 (buf->data + at, n);
              insert_bytes (buf, (guint) below (buf->len + 1), copy, n);
            }
          break;
        }
      if (buf->len > MAX_SIZE)
        g_byte_array_set_size (buf, MAX_SIZE);
    }
}

static void
input_free (gpointer p)
{
  Input *input = p;
  g_free (input->data);
  g_free (input);
}

static void
run_one (const guint8 *data, gsize size)
{
  /* A copy of exactly size bytes, so ASan catches reads past the end. */
  g_autofree guint8 *copy = g_malloc (MAX (size, 1));
  if (size > 0)
    memcpy (copy, data, size);
  LLVMFuzzerTestOneInput (copy, size);
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: %s CORPUS_DIR [ITERATIONS [SECONDS]]\n", argv[0]);
      return 2;
    }
  guint64 iterations = argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 20000;
  double seconds = argc > 3 ? g_ascii_strtod (argv[3], NULL) : 20.0;
  gboolean verbose = g_getenv ("FUZZ_VERBOSE") != NULL;

  g_autoptr (GPtrArray) corpus = g_ptr_array_new_with_free_func (input_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0); /* a fixed order: repeatable */
  for (guint i = 0; i < names->len; i++)
    {
      const char *entry = *(const char **) &names->pdata[i];
      g_autofree char *path = g_build_filename (argv[1], entry, NULL);
      Input *input = g_new0 (Input, 1);
      if (!g_file_get_contents (path, (char **) &input->data, &input->size, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 2;
        }
      if (verbose)
        fprintf (stderr, "corpus %s (%zu bytes)\n", path, input->size);
      run_one (input->data, input->size);
      g_ptr_array_add (corpus, input);
    }
  run_one ((const guint8 *) "", 0);

  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  guint64 done = 0;
  for (; done < iterations; done++)
    {
      if (done % 256 == 0 && g_get_monotonic_time () > deadline)
        break;
      g_byte_array_set_size (buf, 0);
      if (corpus->len > 0 && below (8) != 0)
        {
          const Input *seed = corpus->pdata[below (corpus->len)];
          g_byte_array_append (buf, seed->data, (guint) seed->size);
        }
      mutate (buf, corpus);
      if (verbose)
        {
          fprintf (stderr, "input %" G_GUINT64_FORMAT " (%u bytes): ", done, buf->len);
          fwrite (buf->data, 1, buf->len, stderr);
          fputc ('\n', stderr);
        }
      run_one (buf->data, buf->len);
    }
  printf ("%u corpus files, %" G_GUINT64_FORMAT " generated inputs: no failure\n", corpus->len,
          done);
  return 0;
}
