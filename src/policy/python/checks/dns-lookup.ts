// A DNS lookup: the query leaves the machine whatever the network policy allows for HTTP, so a host
// name computed at run time (`secret + ".attacker.example"`) can carry data out.
import { display, type Value } from '../../shared/value';
import { argument, baseFinding, values, type ArgumentCheck } from './call-site';

function constantName(value: Value): boolean {
  switch (value.k) {
    case 'str':
    case 'bytes':
    case 'num':
    case 'none':
      return true;
    case 'seq':
      return value.items.every((item) => item.length > 0 && item.every(constantName));
    default:
      return false;
  }
}

export const dnsLookupCheck: ArgumentCheck = (site, out) => {
  const node = argument(site, 0, 'host', 'hostname', 'qname', 'name', 'ip_address', 'ipaddr', 'sockaddr');
  const names = values(site, node);
  if (!node || (names.length > 0 && names.every(constantName))) {
    out.push(baseFinding(site));
    return;
  }
  out.push({
    rule: site.sink.rule,
    node: site.callee,
    message: `${display(site.q)} looks up a host name computed at run time: the query can carry data out of the machine (DNS exfiltration)${site.via}`,
  });
};
