import { describe, expect, it } from 'vitest';
import { internalKind } from '../../src/http/address-guard.js';

describe('internal addresses', () => {
  it('each internal IPv4 range is named for what it is', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['10.0.0.5', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'carrier-grade NAT'],
      ['100.127.255.255', 'carrier-grade NAT'],
      ['169.254.169.254', 'link-local'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['255.255.255.255', 'reserved'],
      ['240.0.0.1', 'reserved'],
      ['192.0.2.7', 'documentation'],
      ['198.18.0.1', 'benchmarking'],
    ];
    for (const [address, kind] of cases) expect(internalKind(address), address).toBe(kind);
  });

  it('each internal IPv6 range is named, and an IPv4 address inside IPv6 is judged as IPv4', () => {
    const cases: [string, string][] = [
      ['::1', 'loopback'],
      ['::', 'unspecified'],
      ['fc00::1', 'unique-local'],
      ['fd12:3456::1', 'unique-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['febf::1', 'link-local'],
      ['fec0::1', 'site-local'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'documentation'],
      // IPv4-mapped, in both spellings, and IPv4-compatible
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
      ['::ffff:10.0.0.5', 'private'],
      ['::127.0.0.1', 'loopback'],
      ['::a00:5', 'private'],
      // NAT64 and 6to4 carry an IPv4 address that is where the packets go
      ['64:ff9b::a9fe:a9fe', 'link-local'],
      ['64:ff9b::192.168.0.1', 'private'],
      ['2002:7f00:1::', 'loopback'],
      ['2002:c0a8:101::1', 'private'],
      ['[::1]', 'loopback'],
    ];
    for (const [address, kind] of cases) expect(internalKind(address), address).toBe(kind);
  });

  it('public addresses pass, in both families and inside IPv6', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) {
      expect(internalKind(address), address).toBeUndefined();
    }
  });

  it('anything that is not an IP address counts as internal', () => {
    expect(internalKind('example.com')).toBe('unrecognised');
    expect(internalKind('')).toBe('unrecognised');
  });
});
