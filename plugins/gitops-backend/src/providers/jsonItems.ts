const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (b: number) =>
  b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** The rest of the answer (all but the items) is small; more is refused. */
const MAX_SKELETON_BYTES = 1024 * 1024;

/** The answer is not JSON, or not an object with an `items` list. */
export class MalformedListError extends Error {}

/**
 * Reads a JSON object `{"items": [...], ...}` chunk by chunk and hands out
 * each element of its top-level `items` array as soon as it is complete,
 * parsed by `JSON.parse`; nothing else of the answer is kept but its small
 * remainder (`{"metadata": ..., "items": []}`), parsed at the end to check
 * the whole is well-formed. A scanner of the bytes finds where items begin
 * and end (strings, escapes and nesting), so a poll of a large listing
 * holds one item at a time and makes no garbage per token. Pure.
 */
export class JsonItemsReader {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside the top-level `items` array. */
  private inItems = false;
  /** The last string ended at depth 1, a key once a colon follows. */
  private lastString?: string;
  private key?: string;
  private stringStart = -1;
  // The item being read: its pieces from earlier chunks and where it
  // started in this one, or -1.
  private pieces: Buffer[] = [];
  private itemStart = -1;
  private itemActive = false;
  private scalarItem = false;
  private skeleton = Buffer.alloc(4096);
  private skeletonLength = 0;

  constructor(private readonly onItem: (item: unknown) => void) {}

  write(chunk: Uint8Array) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.itemStart = this.itemActive ? 0 : -1;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.itemActive) {
        this.inItem(bytes, i, b);
        continue;
      }
      if (this.inItems && this.depth === 1) {
        // Between items: separators are dropped, the array's end kept.
        if (isSpace(b) || b === COMMA) continue;
        if (b === CLOSE_ARRAY) {
          this.inItems = false;
          this.toSkeleton(b);
          continue;
        }
        this.itemActive = true;
        this.itemStart = i;
        this.scalarItem = b !== OPEN_OBJECT && b !== OPEN_ARRAY && b !== QUOTE;
        this.inItem(bytes, i, b);
        continue;
      }
      this.outsideItems(b);
    }
    if (this.itemActive) {
      this.pieces.push(Buffer.from(bytes.subarray(this.itemStart)));
    }
  }

  /** Checks the answer ended well-formed; gives its remainder, parsed. */
  end(): Record<string, unknown> {
    if (this.itemActive || this.inString || this.depth !== 0) {
      throw new MalformedListError('answered with malformed JSON');
    }
    let rest: unknown;
    try {
      rest = JSON.parse(this.skeleton.toString('utf8', 0, this.skeletonLength));
    } catch {
      throw new MalformedListError('answered with malformed JSON');
    }
    const list = (rest as { items?: unknown } | null)?.items;
    if (
      !rest ||
      typeof rest !== 'object' ||
      Array.isArray(rest) ||
      !(list === null || Array.isArray(list))
    ) {
      throw new MalformedListError('answered without an items list');
    }
    return rest as Record<string, unknown>;
  }

  /** Reads one byte of a string; true at its closing quote. */
  private stringEnds(b: number): boolean {
    if (this.escaped) this.escaped = false;
    else if (b === BACKSLASH) this.escaped = true;
    else if (b === QUOTE) {
      this.inString = false;
      return true;
    }
    return false;
  }

  private inItem(bytes: Buffer, i: number, b: number) {
    if (this.inString) {
      // A string item ends with its string.
      if (this.stringEnds(b) && this.depth === 1) this.emit(bytes, i + 1);
      return;
    }
    if (this.scalarItem) {
      if (b === COMMA || b === CLOSE_ARRAY || isSpace(b)) {
        this.emit(bytes, i);
        // The separator or the array's end, read again outside the item.
        if (b === CLOSE_ARRAY) {
          this.inItems = false;
          this.toSkeleton(b);
        }
      }
      return;
    }
    if (b === QUOTE) {
      this.inString = true;
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      this.depth++;
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      this.depth--;
      if (this.depth === 1) this.emit(bytes, i + 1);
      else if (this.depth < 1) {
        throw new MalformedListError('answered with malformed JSON');
      }
    }
  }

  private emit(bytes: Buffer, end: number) {
    const last = bytes.subarray(this.itemStart, end);
    const whole = this.pieces.length
      ? Buffer.concat([...this.pieces, last])
      : last;
    this.pieces = [];
    this.itemActive = false;
    this.itemStart = -1;
    let item: unknown;
    try {
      item = JSON.parse(whole.toString('utf8'));
    } catch {
      throw new MalformedListError('answered with malformed JSON');
    }
    this.onItem(item);
  }

  private outsideItems(b: number) {
    this.toSkeleton(b);
    if (this.inString) {
      // A string at depth 1 may be a key: kept until a colon says so.
      if (this.stringEnds(b) && this.stringStart >= 0) {
        try {
          this.lastString = JSON.parse(
            this.skeleton.toString(
              'utf8',
              this.stringStart,
              this.skeletonLength,
            ),
          );
        } catch {
          throw new MalformedListError('answered with malformed JSON');
        }
        this.stringStart = -1;
      }
      return;
    }
    switch (b) {
      case QUOTE:
        this.inString = true;
        this.stringStart = this.depth === 1 ? this.skeletonLength - 1 : -1;
        this.lastString = undefined;
        break;
      case COLON:
        if (this.depth === 1) this.key = this.lastString;
        break;
      case COMMA:
        if (this.depth === 1) this.key = undefined;
        break;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        // The top-level object's `items` array: its elements are items.
        if (b === OPEN_ARRAY && this.depth === 1 && this.key === 'items') {
          this.inItems = true;
          this.key = undefined;
          break; // its elements are at this depth, between items
        }
        this.depth++;
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        this.depth--;
        if (this.depth < 0) {
          throw new MalformedListError('answered with malformed JSON');
        }
        break;
      default:
    }
  }

  private toSkeleton(b: number) {
    if (this.skeletonLength === this.skeleton.length) {
      if (this.skeleton.length >= MAX_SKELETON_BYTES) {
        throw new MalformedListError(
          'answered with more than 1 MiB besides its items',
        );
      }
      const grown = Buffer.alloc(this.skeleton.length * 2);
      this.skeleton.copy(grown);
      this.skeleton = grown;
    }
    this.skeleton[this.skeletonLength++] = b;
  }
}
