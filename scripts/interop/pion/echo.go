// Command pion-echo is a Pion WebRTC (github.com/pion/webrtc/v3, Debian's
// golang-github-pion-webrtc.v3-dev) DataChannel echo peer in both roles of the
// sipsorcery/webrtc-echoes convention. See scripts/interop/README.md.
//
//	pion-echo --serve --listen 127.0.0.1:0     echo server: POST /offer -> answer
//	pion-echo http://127.0.0.1:PORT/offer      echo client: one JSON result line
//
// Loopback only: ICE gathers on 127.0.0.1 alone (interface + IP filter, udp4,
// mDNS off, no ICE servers), and every candidate that is not 127.0.0.1 is cut
// from the SDP that goes out or comes in.
//
// Data channels are detached (SettingEngine.DetachDataChannels) so messages are
// read with our own buffer: stock OnMessage reads into a 65,535-byte buffer and
// closes the channel on a 65,536-byte message (`--stock-onmessage` shows it).
// Sending is capped by pion/sctp at 65,536 bytes per message.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pion/datachannel"
	"github.com/pion/ice/v2"
	"github.com/pion/logging"
	"github.com/pion/webrtc/v3"
)

const (
	peerName       = "pion"
	peerVersion    = "pion/webrtc 3.1.56, pion/sctp 1.8.6 (Debian golang-github-pion-webrtc.v3-dev)"
	readBufferSize = 4 << 20 // detached reads: far above any message a peer may send us
	burstCount     = 100
)

var usage = `pion-echo: Pion WebRTC DataChannel echo peer (webrtc-echoes convention), loopback only.

Server:  pion-echo --serve --listen 127.0.0.1:PORT      (PORT 0: prints {"listening":"127.0.0.1:N"})
Client:  pion-echo URL [--size N] [--json]              (URL: http://127.0.0.1:PORT/offer)

Options:
  --serve               run the echo server (POST /offer)
  --listen HOST:PORT    server address, loopback only (default 127.0.0.1:0)
  --size N              client: large message size, capped at the remote a=max-message-size
                        (65536 when the answer has none, RFC 8841 section 6) (default 262144)
  --json                client: print only the JSON line (no per-step summary on stderr)
  --step-timeout S      seconds per step (default 20)
  --timeout S           seconds for the whole client run (default 60)
  --stock-onmessage     use Pion's stock OnMessage instead of detached channels
                        (shows its 65,535-byte read buffer limit)
  --verbose             Pion logs at debug level on stderr
  --help                this text
`

type options struct {
	serve, jsonOnly, stock, verbose bool
	listen, url                     string
	size                            int
	stepTimeout, timeout            time.Duration
}

func parseArgs(args []string) (options, error) {
	o := options{listen: "127.0.0.1:0", size: 262144, stepTimeout: 20 * time.Second, timeout: 60 * time.Second}
	for i := 0; i < len(args); i++ {
		a := args[i]
		value := func() (string, error) {
			if k := strings.IndexByte(a, '='); k >= 0 {
				return a[k+1:], nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", a)
			}
			i++
			return args[i], nil
		}
		name := a
		if k := strings.IndexByte(a, '='); k >= 0 {
			name = a[:k]
		}
		var err error
		var v string
		switch name {
		case "-h", "--help", "-help":
			fmt.Print(usage)
			os.Exit(0)
		case "--serve":
			o.serve = true
		case "--json":
			o.jsonOnly = true
		case "--stock-onmessage":
			o.stock = true
		case "--verbose":
			o.verbose = true
		case "--listen":
			o.listen, err = value()
		case "--size", "--step-timeout", "--timeout":
			if v, err = value(); err == nil {
				var f float64
				if f, err = strconv.ParseFloat(v, 64); err == nil {
					switch name {
					case "--size":
						o.size = int(f)
					case "--step-timeout":
						o.stepTimeout = time.Duration(f * float64(time.Second))
					default:
						o.timeout = time.Duration(f * float64(time.Second))
					}
				}
			}
		default:
			if strings.HasPrefix(a, "-") {
				return o, fmt.Errorf("unknown option %s (see --help)", a)
			}
			if o.url != "" {
				return o, fmt.Errorf("more than one URL given")
			}
			o.url = a
		}
		if err != nil {
			return o, err
		}
	}
	if !o.serve && o.url == "" {
		return o, errors.New("give a URL (client) or --serve (see --help)")
	}
	if o.size < 0 {
		return o, errors.New("--size must be >= 0")
	}
	return o, nil
}

// ---- loopback-only plumbing ----------------------------------------------

func newAPI(o options) *webrtc.API {
	s := webrtc.SettingEngine{}
	s.SetIncludeLoopbackCandidate(true)
	s.SetInterfaceFilter(func(name string) bool { return name == "lo" })
	s.SetIPFilter(func(ip net.IP) bool { return ip.Equal(net.IPv4(127, 0, 0, 1)) })
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	if !o.stock {
		s.DetachDataChannels()
	}
	lf := logging.NewDefaultLoggerFactory()
	lf.Writer = os.Stderr // pion/logging writes to stdout by default; stdout is for JSON only
	if o.verbose {
		lf.DefaultLogLevel = logging.LogLevelDebug
	} else if lf.DefaultLogLevel < logging.LogLevelWarn && os.Getenv("PION_LOG_ERROR") == "" {
		lf.DefaultLogLevel = logging.LogLevelWarn
	}
	s.LoggerFactory = lf
	return webrtc.NewAPI(webrtc.WithSettingEngine(s))
}

var candidateRe = regexp.MustCompile(`^a=candidate:\S+ \d+ (\S+) \d+ (\S+) \d+ typ (\S+)`)

// loopbackSDP keeps only UDP candidates on 127.0.0.1; it fails when none is left.
func loopbackSDP(sdp, what string) (string, error) {
	var out []string
	kept, dropped := 0, []string{}
	lines := strings.Split(strings.ReplaceAll(sdp, "\r\n", "\n"), "\n")
	for _, line := range lines {
		if strings.HasPrefix(line, "a=candidate:") {
			m := candidateRe.FindStringSubmatch(line)
			if m == nil || !strings.EqualFold(m[1], "udp") || m[2] != "127.0.0.1" {
				dropped = append(dropped, line)
				continue
			}
			kept++
		}
		out = append(out, line)
	}
	for _, d := range dropped {
		fmt.Fprintf(os.Stderr, "pion-echo: dropped non-loopback %s candidate: %s\n", what, d)
	}
	if kept == 0 {
		return "", fmt.Errorf("%s SDP has no 127.0.0.1 UDP candidate", what)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\r\n") + "\r\n", nil
}

var maxMessageRe = regexp.MustCompile(`(?m)^a=max-message-size:(\d+)`)

func remoteMaxMessageSize(sdp string) (int, bool) {
	m := maxMessageRe.FindStringSubmatch(sdp)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

func requireLoopbackHost(host string) error {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	if h == "localhost" {
		return nil
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing non-loopback address %q", host)
	}
	return nil
}

func gather(pc *webrtc.PeerConnection, d time.Duration) error {
	select {
	case <-webrtc.GatheringCompletePromise(pc):
		return nil
	case <-time.After(d):
		return fmt.Errorf("ICE gathering not complete after %v", d)
	}
}

// ---- server ---------------------------------------------------------------

type server struct {
	o   options
	api *webrtc.API
	mu  sync.Mutex
	pcs map[*webrtc.PeerConnection]struct{}
}

func (s *server) track(pc *webrtc.PeerConnection, on bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on {
		s.pcs[pc] = struct{}{}
	} else {
		delete(s.pcs, pc)
	}
	return len(s.pcs)
}

func echoDetached(label string, raw datachannel.ReadWriteCloser, verbose bool) {
	buf := make([]byte, readBufferSize)
	for {
		n, isString, err := raw.ReadDataChannel(buf)
		if err != nil {
			if verbose || errors.Is(err, io.ErrShortBuffer) {
				fmt.Fprintf(os.Stderr, "pion-echo: channel %q read: %v\n", label, err)
			}
			return
		}
		if _, err := raw.WriteDataChannel(buf[:n], isString); err != nil {
			fmt.Fprintf(os.Stderr, "pion-echo: channel %q echo of %d bytes: %v\n", label, n, err)
		}
	}
}

func optional(v *uint16) string {
	if v == nil {
		return "null"
	}
	return strconv.Itoa(int(*v))
}

func (s *server) onDataChannel(dc *webrtc.DataChannel) {
	label := dc.Label()
	fmt.Fprintf(os.Stderr, "pion-echo: channel '%s' open: ordered=%v maxRetransmits=%s maxPacketLifeTime=%s\n",
		label, dc.Ordered(), optional(dc.MaxRetransmits()), optional(dc.MaxPacketLifeTime()))
	if s.o.stock {
		dc.OnMessage(func(m webrtc.DataChannelMessage) {
			var err error
			if m.IsString {
				err = dc.SendText(string(m.Data))
			} else {
				err = dc.Send(m.Data)
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "pion-echo: channel %q echo of %d bytes: %v\n", label, len(m.Data), err)
			}
		})
		dc.OnError(func(err error) { fmt.Fprintf(os.Stderr, "pion-echo: channel %q error: %v\n", label, err) })
		return
	}
	dc.OnOpen(func() {
		raw, err := dc.Detach()
		if err != nil {
			fmt.Fprintf(os.Stderr, "pion-echo: channel %q detach: %v\n", label, err)
			return
		}
		go echoDetached(label, raw, s.o.verbose)
	})
}

func (s *server) answer(offer webrtc.SessionDescription) (*webrtc.SessionDescription, error) {
	if offer.Type != webrtc.SDPTypeOffer {
		return nil, fmt.Errorf("expected type offer, got %q", offer.Type.String())
	}
	sdp, err := loopbackSDP(offer.SDP, "remote")
	if err != nil {
		return nil, err
	}
	pc, err := s.api.NewPeerConnection(webrtc.Configuration{ICEServers: []webrtc.ICEServer{}})
	if err != nil {
		return nil, err
	}
	n := s.track(pc, true)
	fmt.Fprintf(os.Stderr, "pion-echo: new peer connection (%d open)\n", n)
	closeOnce := sync.Once{}
	closePC := func(why string) {
		closeOnce.Do(func() {
			go func() {
				_ = pc.Close()
				left := s.track(pc, false)
				fmt.Fprintf(os.Stderr, "pion-echo: peer connection %s, closed (%d open)\n", why, left)
			}()
		})
	}
	pc.OnDataChannel(s.onDataChannel)
	connected := make(chan struct{})
	var connectedOnce sync.Once
	pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) {
		switch st {
		case webrtc.PeerConnectionStateConnected:
			connectedOnce.Do(func() { close(connected) })
		case webrtc.PeerConnectionStateFailed, webrtc.PeerConnectionStateDisconnected, webrtc.PeerConnectionStateClosed:
			closePC(st.String())
		}
	})
	go func() { // never keep a peer connection that does not connect
		select {
		case <-connected:
		case <-time.After(s.o.stepTimeout + 10*time.Second):
			closePC("not connected in time")
		}
	}()
	fail := func(err error) (*webrtc.SessionDescription, error) { closePC("failed negotiation"); return nil, err }
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: sdp}); err != nil {
		return fail(fmt.Errorf("set remote description: %w", err))
	}
	ans, err := pc.CreateAnswer(nil)
	if err != nil {
		return fail(fmt.Errorf("create answer: %w", err))
	}
	if err := pc.SetLocalDescription(ans); err != nil {
		return fail(fmt.Errorf("set local description: %w", err))
	}
	if err := gather(pc, s.o.stepTimeout); err != nil {
		return fail(err)
	}
	local := pc.LocalDescription()
	out, err := loopbackSDP(local.SDP, "local")
	if err != nil {
		return fail(err)
	}
	return &webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: out}, nil
}

func writeJSON(w http.ResponseWriter, code int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func runServer(o options) int {
	if err := requireLoopbackHost(o.listen); err != nil {
		fmt.Fprintln(os.Stderr, "pion-echo:", err)
		return 2
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pion-echo: listen:", err)
		return 1
	}
	s := &server{o: o, api: newAPI(o), pcs: map[*webrtc.PeerConnection]struct{}{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/offer", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Method != http.MethodPost {
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "POST an offer"})
			return
		}
		var offer webrtc.SessionDescription
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&offer); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad offer JSON: " + err.Error()})
			return
		}
		ans, err := s.answer(offer)
		if err != nil {
			fmt.Fprintln(os.Stderr, "pion-echo: offer:", err)
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, ans)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"peer": peerName, "version": peerVersion, "offer": "POST /offer"})
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	sigs := make(chan os.Signal, 1)                      // before the listening line: a SIGTERM right after it
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT) // must still shut down cleanly
	fmt.Printf("{\"listening\":%q}\n", ln.Addr().String())
	os.Stdout.Sync()
	fmt.Fprintf(os.Stderr, "pion-echo: %s echo server on http://%s/offer\n", peerVersion, ln.Addr())

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case sig := <-sigs:
		fmt.Fprintf(os.Stderr, "pion-echo: %v, shutting down\n", sig)
	case err := <-done:
		fmt.Fprintln(os.Stderr, "pion-echo: serve:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	s.mu.Lock()
	pcs := make([]*webrtc.PeerConnection, 0, len(s.pcs))
	for pc := range s.pcs {
		pcs = append(pcs, pc)
	}
	s.mu.Unlock()
	for _, pc := range pcs {
		_ = pc.Close()
	}
	return 0
}

// ---- client ---------------------------------------------------------------

type chanSpec struct {
	Label             string `json:"label"`
	Ordered           bool   `json:"ordered"`
	MaxRetransmits    *int   `json:"max_retransmits"`
	MaxPacketLifeTime *int   `json:"max_packet_life_time"`
}

func intp(v int) *int { return &v }

var channelSpecs = []chanSpec{
	{"reliable-ordered", true, nil, nil},
	{"reliable-unordered", false, nil, nil},
	{"rexmit0-ordered", true, intp(0), nil},
	{"rexmit0-unordered", false, intp(0), nil},
	{"lifetime1000-ordered", true, nil, intp(1000)},
	{"lifetime1000-unordered", false, nil, intp(1000)},
}

type message struct {
	data     []byte
	isString bool
	err      error
}

type stepResult struct {
	Step    string  `json:"step"`
	Channel *string `json:"channel"`
	OK      bool    `json:"ok"`
	Detail  string  `json:"detail"`
}

type result struct {
	OK                   bool         `json:"ok"`
	Peer                 string       `json:"peer"`
	Version              string       `json:"version"`
	Role                 string       `json:"role"`
	URL                  string       `json:"url"`
	Channels             []chanSpec   `json:"channels"`
	Steps                []stepResult `json:"steps"`
	LargeSize            *int         `json:"large_size"`
	RemoteMaxMessageSize *int         `json:"remote_max_message_size"`
	ElapsedMs            int64        `json:"elapsed_ms"`
	FailedStep           *string      `json:"step"`
	FailedChannel        *string      `json:"channel"`
	Error                *string      `json:"error"`
}

type stepError struct{ detail string }

func (e stepError) Error() string { return e.detail }

type client struct {
	mu       sync.Mutex // guards res and chans (callbacks, the watchdog and run() share them)
	o        options
	deadline time.Time
	res      *result
	chans    map[string]datachannel.ReadWriteCloser
	stockDCs map[string]*webrtc.DataChannel
	inbox    map[string]chan message
}

func (c *client) stepTimeout() time.Duration {
	d := c.o.stepTimeout
	if left := time.Until(c.deadline); left < d {
		d = left
	}
	if d < 0 {
		d = 0
	}
	return d
}

func describe(data []byte, isString bool) string {
	kind := "binary"
	if isString {
		kind = "text"
	}
	if len(data) == 0 {
		return "empty " + kind
	}
	if len(data) <= 40 {
		if isString {
			return fmt.Sprintf("%s %q", kind, string(data))
		}
		return fmt.Sprintf("%s %x", kind, data)
	}
	return fmt.Sprintf("%s of %d bytes", kind, len(data))
}

func (c *client) send(label string, data []byte, isString bool) error {
	c.mu.Lock()
	raw := c.chans[label]
	c.mu.Unlock()
	if raw != nil {
		_, err := raw.WriteDataChannel(data, isString)
		return err
	}
	dc := c.stockDCs[label]
	if isString {
		return dc.SendText(string(data))
	}
	return dc.Send(data)
}

func (c *client) recv(label string, timer <-chan time.Time, what string) (message, error) {
	select {
	case m := <-c.inbox[label]:
		if m.err != nil {
			return m, stepError{fmt.Sprintf("channel closed while waiting for %s: %v", what, m.err)}
		}
		return m, nil
	case <-timer:
		return message{}, stepError{fmt.Sprintf("timeout waiting for %s", what)}
	}
}

func (c *client) echoOne(label string, data []byte, isString bool) (string, error) {
	if err := c.send(label, data, isString); err != nil {
		return "", stepError{fmt.Sprintf("send %s: %v", describe(data, isString), err)}
	}
	timer := time.After(c.stepTimeout())
	m, err := c.recv(label, timer, "the echo of "+describe(data, isString))
	if err != nil {
		return "", err
	}
	if m.isString != isString || !bytes.Equal(m.data, data) {
		return "", stepError{fmt.Sprintf("sent %s, echo was %s", describe(data, isString), describe(m.data, m.isString))}
	}
	return fmt.Sprintf("%s echoed", describe(data, isString)), nil
}

func burstMessage(label string, i int) ([]byte, bool) {
	return []byte(fmt.Sprintf("burst %s %03d", label, i)), i%2 == 0
}

func (c *client) burst(spec chanSpec) (string, error) {
	type item struct {
		data     string
		isString bool
	}
	var sent []item
	for i := 0; i < burstCount; i++ {
		data, isString := burstMessage(spec.Label, i)
		if err := c.send(spec.Label, data, isString); err != nil {
			return "", stepError{fmt.Sprintf("send burst message %d: %v", i, err)}
		}
		sent = append(sent, item{string(data), isString})
	}
	timer := time.After(c.stepTimeout())
	var got []item
	for len(got) < burstCount {
		m, err := c.recv(spec.Label, timer, fmt.Sprintf("burst echo %d/%d", len(got)+1, burstCount))
		if err != nil {
			return "", err
		}
		got = append(got, item{string(m.data), m.isString})
	}
	if spec.Ordered {
		for i := range sent {
			if sent[i] != got[i] {
				return "", stepError{fmt.Sprintf("echo %d out of order or altered: sent %s, got %s", i,
					describe([]byte(sent[i].data), sent[i].isString), describe([]byte(got[i].data), got[i].isString))}
			}
		}
		return fmt.Sprintf("%d messages echoed in order", burstCount), nil
	}
	key := func(it item) string { return fmt.Sprintf("%v:%s", it.isString, it.data) }
	var a, b []string
	for i := range sent {
		a = append(a, key(sent[i]))
		b = append(b, key(got[i]))
	}
	sort.Strings(a)
	sort.Strings(b)
	for i := range a {
		if a[i] != b[i] {
			return "", stepError{fmt.Sprintf("echoed set differs from the sent set (first difference %q vs %q)", a[i], b[i])}
		}
	}
	return fmt.Sprintf("%d messages echoed (same set, unordered)", burstCount), nil
}

func textPayload(label string) []byte {
	return []byte("hello from " + peerName + " on " + label + " \u2713 \u00fcn\u00efc\u00f6d\u00e9 \u4e2d\u6587")
}

func binaryPayload() []byte {
	b := make([]byte, 512)
	for i := 0; i < 256; i++ {
		b[i] = byte(i)
		b[511-i] = byte(i)
	}
	return b
}

func largePayload(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

func (c *client) record(step string, channel *string, detail string, err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.res.FailedStep != nil { // the run was already given up (signal, watchdog)
		if err == nil {
			err = stepError{"run already stopped"}
		}
		return err
	}
	if err != nil {
		var se stepError
		if !errors.As(err, &se) {
			err = stepError{err.Error()}
		}
		c.res.Steps = append(c.res.Steps, stepResult{step, channel, false, err.Error()})
		c.res.FailedStep, c.res.FailedChannel = &step, channel
		msg := err.Error()
		c.res.Error = &msg
		return err
	}
	c.res.Steps = append(c.res.Steps, stepResult{step, channel, true, detail})
	return nil
}

func postOffer(ctx context.Context, target string, offer webrtc.SessionDescription) (webrtc.SessionDescription, error) {
	var ans webrtc.SessionDescription
	body, _ := json.Marshal(map[string]string{"type": "offer", "sdp": offer.SDP})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return ans, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: &http.Transport{Proxy: nil}}).Do(req)
	if err != nil {
		return ans, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return ans, err
	}
	if resp.StatusCode != http.StatusOK {
		return ans, fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(raw)))
	}
	var m struct{ Type, SDP string }
	if err := json.Unmarshal(raw, &m); err != nil {
		return ans, fmt.Errorf("answer is not JSON: %v", err)
	}
	if m.Type != "answer" || m.SDP == "" {
		return ans, fmt.Errorf("expected {\"type\":\"answer\",\"sdp\":...}, got type %q", m.Type)
	}
	return webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: m.SDP}, nil
}

func (c *client) run() error {
	o := c.o
	u, err := url.Parse(o.url)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return c.record("url", nil, "", fmt.Errorf("bad URL %q (want http://127.0.0.1:PORT/offer)", o.url))
	}
	if err := requireLoopbackHost(u.Host); err != nil {
		return c.record("url", nil, "", fmt.Errorf("refusing non-loopback URL %q", o.url))
	}
	pc, err := newAPI(o).NewPeerConnection(webrtc.Configuration{ICEServers: []webrtc.ICEServer{}})
	if err != nil {
		return c.record("offer", nil, "", err)
	}
	defer pc.Close()

	opened := make(chan string, len(channelSpecs))
	failed := make(chan error, 1)
	pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) {
		if st == webrtc.PeerConnectionStateFailed {
			select {
			case failed <- errors.New("peer connection failed"):
			default:
			}
		}
	})
	for _, spec := range channelSpecs {
		spec := spec
		ordered := spec.Ordered
		init := &webrtc.DataChannelInit{Ordered: &ordered}
		if spec.MaxRetransmits != nil {
			v := uint16(*spec.MaxRetransmits)
			init.MaxRetransmits = &v
		}
		if spec.MaxPacketLifeTime != nil {
			v := uint16(*spec.MaxPacketLifeTime)
			init.MaxPacketLifeTime = &v
		}
		dc, err := pc.CreateDataChannel(spec.Label, init)
		if err != nil {
			return c.record("offer", nil, "", fmt.Errorf("create channel %s: %w", spec.Label, err))
		}
		inbox := make(chan message, 4*burstCount)
		c.inbox[spec.Label] = inbox
		if o.stock {
			c.stockDCs[spec.Label] = dc
			dc.OnMessage(func(m webrtc.DataChannelMessage) { inbox <- message{data: m.Data, isString: m.IsString} })
			dc.OnError(func(err error) {
				fmt.Fprintf(os.Stderr, "pion-echo: channel %q error: %v\n", spec.Label, err)
				inbox <- message{err: err}
			})
			dc.OnOpen(func() { opened <- spec.Label })
			continue
		}
		dc.OnOpen(func() {
			raw, err := dc.Detach()
			if err != nil {
				select {
				case failed <- fmt.Errorf("detach %s: %w", spec.Label, err):
				default:
				}
				return
			}
			c.mu.Lock()
			c.chans[spec.Label] = raw
			c.mu.Unlock()
			go func() {
				buf := make([]byte, readBufferSize)
				for {
					n, isString, err := raw.ReadDataChannel(buf)
					if err != nil {
						inbox <- message{err: err}
						return
					}
					inbox <- message{data: append([]byte(nil), buf[:n]...), isString: isString}
				}
			}()
			opened <- spec.Label
		})
	}

	offer, err := pc.CreateOffer(nil)
	if err == nil {
		err = pc.SetLocalDescription(offer)
	}
	if err == nil {
		err = gather(pc, c.stepTimeout())
	}
	var local string
	if err == nil {
		local, err = loopbackSDP(pc.LocalDescription().SDP, "local")
	}
	if c.record("offer", nil, "offer with 127.0.0.1 candidates, gathering complete", err) != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), c.stepTimeout())
	answer, err := postOffer(ctx, o.url, webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: local})
	cancel()
	if c.record("signal", nil, "POST "+o.url+" answered", err) != nil {
		return err
	}

	mms, has := remoteMaxMessageSize(answer.SDP)
	capSize := 65536
	if has {
		c.res.RemoteMaxMessageSize = intp(mms)
		capSize = mms
		if mms == 0 { // RFC 8841: 0 means no limit
			capSize = o.size
		}
	}
	large := o.size
	if large > capSize {
		large = capSize
	}
	c.res.LargeSize = intp(large)
	remote, err := loopbackSDP(answer.SDP, "remote")
	if err == nil {
		err = pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: remote})
	}
	if c.record("answer", nil, "answer applied", err) != nil {
		return err
	}

	timer := time.After(c.stepTimeout())
	for n := 0; n < len(channelSpecs); {
		select {
		case <-opened:
			n++
		case err = <-failed:
		case <-timer:
			err = fmt.Errorf("only %d of %d channels open", n, len(channelSpecs))
		}
		if err != nil {
			return c.record("connect", nil, "", err)
		}
	}
	c.record("connect", nil, fmt.Sprintf("%d channels open", len(channelSpecs)), nil)

	for _, spec := range channelSpecs {
		label := spec.Label
		ch := &label
		steps := []struct {
			name string
			fn   func() (string, error)
		}{
			{"text", func() (string, error) { return c.echoOne(label, textPayload(label), true) }},
			{"binary", func() (string, error) { return c.echoOne(label, binaryPayload(), false) }},
			{"empty-text", func() (string, error) { return c.echoOne(label, []byte{}, true) }},
			{"empty-binary", func() (string, error) { return c.echoOne(label, []byte{}, false) }},
			{"burst", func() (string, error) { return c.burst(spec) }},
		}
		for _, st := range steps {
			detail, err := st.fn()
			if c.record(st.name, ch, detail, err) != nil {
				return err
			}
		}
	}
	for _, spec := range channelSpecs {
		label := spec.Label
		detail, err := c.echoOne(label, largePayload(large), false)
		if err == nil {
			detail = fmt.Sprintf("%d bytes echoed byte for byte", large)
		}
		if c.record("large", &label, detail, err) != nil {
			return err
		}
	}
	return nil
}

func runClient(o options) int {
	started := time.Now()
	res := &result{Peer: peerName, Version: peerVersion, Role: "client", URL: o.url, Channels: channelSpecs, Steps: []stepResult{}}
	c := &client{o: o, deadline: started.Add(o.timeout), res: res,
		chans: map[string]datachannel.ReadWriteCloser{}, stockDCs: map[string]*webrtc.DataChannel{}, inbox: map[string]chan message{}}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	finished := make(chan error, 1)
	go func() { finished <- c.run() }()
	var err error
	giveUp := func(step, msg string) {
		c.mu.Lock()
		if res.FailedStep == nil {
			res.FailedStep, res.Error = &step, &msg
		}
		c.mu.Unlock()
		err = errors.New(msg)
	}
	select {
	case err = <-finished:
	case sig := <-sigs:
		name := "SIGTERM"
		if sig == syscall.SIGINT {
			name = "SIGINT"
		}
		giveUp("signal", "stopped by "+name)
	case <-time.After(o.timeout + 5*time.Second): // a step that ignored its deadline
		giveUp("timeout", fmt.Sprintf("whole run exceeded %v", o.timeout))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	res.OK = err == nil && res.FailedStep == nil
	res.ElapsedMs = time.Since(started).Milliseconds()
	if !o.jsonOnly {
		for _, s := range res.Steps {
			ch := "-"
			if s.Channel != nil {
				ch = *s.Channel
			}
			mark := "ok  "
			if !s.OK {
				mark = "FAIL"
			}
			fmt.Fprintf(os.Stderr, "%s %-13s %-23s %s\n", mark, s.Step, ch, s.Detail)
		}
	}
	line, _ := json.Marshal(res)
	fmt.Println(string(line))
	if res.OK {
		return 0
	}
	return 1
}

func main() {
	o, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "pion-echo:", err)
		os.Exit(2)
	}
	if o.serve {
		os.Exit(runServer(o))
	}
	os.Exit(runClient(o))
}
