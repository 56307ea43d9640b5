// The system libcurl (Debian: libcurl4-openssl-dev), for outbound HTTP in Channels.
#include <curl/curl.h>
