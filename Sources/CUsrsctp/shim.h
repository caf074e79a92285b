// usrsctp (libusrsctp-dev). AF_CONN is defined by usrsctp.h itself.
#include <usrsctp.h>
