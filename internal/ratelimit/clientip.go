package ratelimit

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseTrusted parses TRUSTED_PROXIES: a comma-separated list of CIDR
// prefixes and single addresses ("10.0.0.0/8, 192.0.2.7, fd00::/8").
// Empty entries are ignored; an invalid one is named in the error so the
// operator can find it.
func ParseTrusted(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if strings.Contains(entry, "/") {
			p, err := netip.ParsePrefix(entry)
			if err != nil {
				return nil, fmt.Errorf("TRUSTED_PROXIES: %q is not a valid CIDR prefix: %w", entry, err)
			}
			// Unmap so "::ffff:10.0.0.0/104" matches plain IPv4 peers too.
			if p.Addr().Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(entry)
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %q is not a valid IP address or CIDR prefix: %w", entry, err)
		}
		a = a.Unmap().WithZone("")
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// ClientIP returns the address the request came from, for rate limiting and
// logs. It is the TCP peer unless that peer is a trusted proxy; then
// X-Forwarded-For is walked from the right (the end our own proxies append
// to), skipping trusted hops, and the first untrusted address is the client.
// Entries to its left were written by the client and are never believed, so
// a spoofed X-Forwarded-For cannot change or reset a limit.
//
// The result is invalid (IsValid false) only when RemoteAddr is not an IP
// address at all (for example a Unix socket).
func ClientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer := parseHostAddr(r.RemoteAddr)
	if !peer.IsValid() || !isTrusted(peer, trusted) {
		return peer
	}
	client := peer
	hops := r.Header.Values("X-Forwarded-For")
	// Several header lines form one list, in order (RFC 9110 §5.3).
	// Each line is read from its last comma back, without splitting it into
	// a slice: this runs on every request that arrives through the proxy.
	for i := len(hops) - 1; i >= 0; i-- {
		for rest, done := hops[i], false; !done; {
			part := rest
			if j := strings.LastIndexByte(rest, ','); j >= 0 {
				part, rest = rest[j+1:], rest[:j]
			} else {
				done = true
			}
			a := parseHostAddr(strings.TrimSpace(part))
			if !a.IsValid() {
				// Garbage where a trusted proxy should have written an
				// address: stop at the last hop we could verify.
				return client
			}
			client = a
			if !isTrusted(a, trusted) {
				return a
			}
		}
	}
	// Every hop was trusted (e.g. a health probe from inside the network).
	return client
}

// parseHostAddr accepts "ip", "ip:port", "[ipv6]:port" and "[ipv6]" and
// returns the unmapped address without zone, or the zero Addr.
func parseHostAddr(s string) netip.Addr {
	if s == "" {
		return netip.Addr{}
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone("")
	}
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		host = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientKey is the rate-limit key for an address. IPv6 clients are keyed by
// their /64, because one subscriber usually owns a whole /64 and could
// otherwise rotate addresses to escape the limit.
func clientKey(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "ip:unknown"
	case a.Is6():
		p, _ := a.Prefix(64)
		return "ip:" + p.String()
	default:
		return "ip:" + a.String()
	}
}
