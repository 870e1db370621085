package ratelimit

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestParseTrusted(t *testing.T) {
	got, err := ParseTrusted(" 10.0.0.0/8, 192.0.2.7 ,, fd00::/8, ::ffff:172.16.0.0/108,10.1.2.3/8")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "fd00::/8", "172.16.0.0/12", "10.0.0.0/8"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("entry %d = %s, want %s", i, got[i], want[i])
		}
	}
	if p, err := ParseTrusted(""); err != nil || len(p) != 0 {
		t.Errorf("empty: %v, %v", p, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.local", "10.0.0.1, 300.1.1.1"} {
		_, err := ParseTrusted(bad)
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		entry := strings.TrimSpace(bad[strings.LastIndex(bad, ",")+1:])
		if !strings.Contains(err.Error(), entry) || !strings.Contains(err.Error(), "TRUSTED_PROXIES") {
			t.Errorf("%q: error %q does not name the bad entry", bad, err)
		}
	}
}

func TestClientIP(t *testing.T) {
	trusted, err := ParseTrusted("10.0.0.0/8, 2001:db8:ffff::/48")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"no proxy", "203.0.113.5:4321", nil, "203.0.113.5"},
		{"spoofed XFF from untrusted peer ignored", "203.0.113.5:4321", []string{"198.51.100.1"}, "203.0.113.5"},
		{"trusted proxy, client from XFF", "10.0.0.2:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"client-written entries left of the real client ignored", "10.0.0.2:80", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"chain of trusted proxies skipped", "10.0.0.2:80", []string{"198.51.100.1, 10.9.9.9, 10.0.0.3"}, "198.51.100.1"},
		{"multiple header lines form one list", "10.0.0.2:80", []string{"6.6.6.6, 198.51.100.1", "10.0.0.3"}, "198.51.100.1"},
		{"trusted proxy without XFF", "10.0.0.2:80", nil, "10.0.0.2"},
		{"all hops trusted", "10.0.0.2:80", []string{"10.0.0.7"}, "10.0.0.7"},
		{"garbage at the boundary stops at the last verified hop", "10.0.0.2:80", []string{"1.1.1.1, garbage, 10.0.0.3"}, "10.0.0.3"},
		{"port in XFF", "10.0.0.2:80", []string{"198.51.100.1:555"}, "198.51.100.1"},
		{"ipv6 peer and client", "[2001:db8:ffff::1]:443", []string{"[2001:db8:1::5]:1"}, "2001:db8:1::5"},
		{"mapped ipv4 peer", "[::ffff:10.0.0.2]:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"unix socket", "@", nil, "invalid IP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := ClientIP(r, trusted).String(); got != c.want {
				t.Errorf("ClientIP = %s, want %s", got, c.want)
			}
		})
	}
}

func TestClientKey_IPv6ByPrefix64(t *testing.T) {
	a := clientKey(netip.MustParseAddr("2001:db8:1:2::1"))
	b := clientKey(netip.MustParseAddr("2001:db8:1:2:ffff::9"))
	c := clientKey(netip.MustParseAddr("2001:db8:1:3::1"))
	if a != b || a == c {
		t.Errorf("keys %q %q %q: want same /64 equal, other /64 different", a, b, c)
	}
}
