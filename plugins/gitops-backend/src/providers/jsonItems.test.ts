import { JsonItemsReader, MalformedListError } from './jsonItems';

/** Reads `text` cut into chunks at `cuts`; the items and the remainder. */
function read(text: string, cuts: number[] = []) {
  const bytes = Buffer.from(text, 'utf8');
  const items: unknown[] = [];
  const reader = new JsonItemsReader(item => items.push(item));
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    reader.write(new Uint8Array(bytes.subarray(at, cut)));
    at = cut;
  }
  return { items, rest: reader.end() };
}

const tricky = {
  metadata: {
    name: 'a"}]\\[{,:',
    labels: { 'app.kubernetes.io/name': 'π-svc', note: 'items: [1, 2]' },
  },
  spec: { items: [{ metadata: { name: 'nested' } }], empty: {}, list: [] },
  status: { message: 'line\nbreak \u2603 \\" done', n: -1.5e3, ok: true },
};

describe('JsonItemsReader', () => {
  it('hands out every element of the top-level items array, wherever the chunks are cut', () => {
    const doc = JSON.stringify({
      metadata: { resourceVersion: '1', items: 'not these' },
      items: [tricky, { b: 2 }, 'text, with ] and "', 7, null, [1, [2]]],
      kind: 'List',
    });
    const expected = JSON.parse(doc);
    for (let cut = 0; cut <= doc.length; cut++) {
      const { items, rest } = read(doc, [Buffer.byteLength(doc.slice(0, cut))]);
      expect(items).toEqual(expected.items);
      expect(rest).toEqual({ ...expected, items: [] });
    }
    // Byte by byte, through multi-byte characters.
    const bytes = Buffer.byteLength(doc);
    const { items } = read(
      doc,
      Array.from({ length: bytes }, (_, i) => i),
    );
    expect(items).toEqual(expected.items);
  });

  it('accepts an empty list, "items": null and whitespace anywhere', () => {
    expect(read('{"items":[]}').items).toEqual([]);
    expect(read('{"metadata":{},"items":null}').rest).toEqual({
      metadata: {},
      items: null,
    });
    expect(read(' {\n "items" : [ {"a":1} ,\t{"b":2} ] \n} ').items).toEqual([
      { a: 1 },
      { b: 2 },
    ]);
  });

  it('refuses what is not an object with an items list', () => {
    const refused = (text: string) => () => read(text);
    expect(refused('{"metadata":{}}')).toThrow(
      'answered without an items list',
    );
    expect(refused('[1,2]')).toThrow('answered without an items list');
    expect(refused('"items"')).toThrow('answered without an items list');
    expect(refused('{"items":{"a":1}}')).toThrow(
      'answered without an items list',
    );
  });

  it('refuses malformed JSON, in an item or around the items', () => {
    for (const text of [
      `{"items":[${JSON.stringify(tricky)},{"metadata":`,
      '{"items":[{"a":1}}}',
      '{"items":[{"a":1,}]}',
      '{"items":[{"a":1}]',
      '{"items":[{"a":1}],"metadata":{x}}',
      '{"items":[tru]}',
      '{"items":[{"a":"unterminated}]}',
      '',
      '}',
    ]) {
      expect(() => read(text)).toThrow(MalformedListError);
      expect(() => read(text)).toThrow(/malformed JSON|without an items list/);
    }
  });

  it('hands out each item once', () => {
    expect(read('{"items":[{},{},{}]}').items).toHaveLength(3);
  });
});
