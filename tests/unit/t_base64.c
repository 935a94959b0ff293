/* t_base64 - RFC 4648 section 10 test vectors, and every byte value. */
#include <string.h>

#include "base64.h"
#include "tap.h"

static void
vec(const char *in, const char *want)
{
	char out[64];
	size_t n = base64_encode((const unsigned char *)in, strlen(in), out);

	out[n] = '\0';
	is_str(out, want, in);
}

int
main(void)
{
	unsigned char all[256];
	char out[400];
	size_t n;

	vec("", "");
	vec("f", "Zg==");
	vec("fo", "Zm8=");
	vec("foo", "Zm9v");
	vec("foob", "Zm9vYg==");
	vec("fooba", "Zm9vYmE=");
	vec("foobar", "Zm9vYmFy");
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	n = base64_encode(all, 256, out);
	is_int((long long)n, 344, "256 bytes -> 344 characters");
	out[n] = '\0';
	is_str(out + 336, "/P3+/w==", "the last bytes 0xfc..0xff use '+' and '/'");
	return done_testing();
}
