"""Statistics on the chains' own series: network hashrate against price."""
