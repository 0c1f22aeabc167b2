import { escapeXml } from '../common/text.js';
import { renderBadge } from './badge.js';

describe('badge', () => {
  it('escapes the cluster name so that it never becomes markup', () => {
    const svg = renderBadge('<script>alert("x")</script> & Co', { green: 1, yellow: 0, red: 2 });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(escapeXml(`'`)).toBe('&apos;');
  });

  it('says the counts in text and in its title, not only in colour', () => {
    const svg = renderBadge('Findit', { green: 3, yellow: 1, red: 0 });
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('<title>Findit: 3 green, 1 yellow, 0 red</title>');
    expect(svg).toMatch(/>3<\/text>.*>1<\/text>.*>0<\/text>/);
  });
});
