/* libxcrypt: crypt_r and crypt_gensalt_rn for infusion-web's password hashes (yescrypt). */
#include <crypt.h>
