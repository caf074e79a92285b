// PacketCapture: classic pcap files of the datagrams our stack sends and receives.
//
// Theory of operation
// -------------------
// Our protocol layers only ever see UDP payloads and addresses (`Datagram`), but
// Wireshark and tshark dissect whole packets. So the writer synthesises what the
// kernel would have put on the wire around each payload: an IPv4 header (RFC 791,
// with its header checksum) or an IPv6 header (RFC 8200), then a UDP header
// (RFC 768) whose checksum covers the pseudo-header, exactly as a receiver would
// verify it (RFC 1071 arithmetic; IPv6 pseudo-header per RFC 8200 §8.1).
//
// The file format is classic libpcap (magic 0xa1b2c3d4, version 2.4, microsecond
// timestamps) with LINKTYPE_RAW (101): each record starts directly with the IP
// header, so IPv4 and IPv6 packets can share one file. LINKTYPE_IPV4 (228) and
// LINKTYPE_IPV6 (229) are available for single-family captures.
//
// We write the file big-endian on every host: the libpcap format allows either
// byte order (readers detect it from the magic number), and big-endian makes a
// hex dump read naturally ("a1 b2 c3 d4 00 02 00 04 ..."), which matters in a lab.
//
// `PcapReader` and `CapturedPacket` read such files back (either byte order) and
// verify both checksums, so tests can check captures without external tools.
