using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace RnnRunner.Core.Data.Numpy;

/// <summary>
/// Reads the pickle that np.save writes after an object array's header, when the array holds lists of integers —
/// Keras' imdb.npz (x_train, x_test) and any array made with np.array(list_of_lists, dtype=object). It is an
/// interpreter of data, never of code: it knows the opcodes of protocols 0-5 that such a pickle uses (integers,
/// lists, tuples, memo, a few strings), and accepts four globals, each by name only, without importing or calling
/// anything: numpy's <c>_reconstruct</c> and <c>ndarray</c> (the array), <c>dtype</c> (its 'O' dtype) and, in
/// protocol 2, <c>_codecs.encode</c> (how it spells a bytes argument).
/// Any other global or opcode — any other object — is refused in one line.
/// </summary>
public static class RestrictedUnpickler
{
    private static readonly HashSet<string> Allowed =
    [
        "numpy.core.multiarray _reconstruct", "numpy._core.multiarray _reconstruct", "numpy ndarray", "numpy dtype",
        "_codecs encode", // protocol 2 spells a bytes argument as _codecs.encode(text, "latin1")
    ];

    private sealed record Global(string Name);

    /// <summary>
    /// A pickled list. Integers are kept unboxed — imdb.npz's lists hold millions of ids, and a boxed long costs three
    /// times its eight bytes — until an element that is not one arrives (the outer list of lists).
    /// </summary>
    private sealed class PickleList
    {
        private readonly List<long> _integers = [];
        private List<object?>? _objects;

        /// <summary>The elements when every one is an integer; null otherwise.</summary>
        public List<long>? Integers => _objects is null ? _integers : null;

        public IReadOnlyList<object?> Items => _objects ?? _integers.Select(i => (object?)i).ToList();

        public void Add(object? item)
        {
            if (_objects is null && item is long value) { _integers.Add(value); return; }
            _objects ??= _integers.Select(i => (object?)i).ToList();
            _objects.Add(item);
        }
    }
    private sealed record Call(Global Callable, object?[] Arguments);
    private sealed class Mark;
    private static readonly Mark TheMark = new();

    /// <summary>The array's elements, each a list of integers.</summary>
    public static long[][] ReadIntegerLists(Stream stream, string where)
    {
        var result = Run(new BinaryReader(stream, Encoding.Latin1, leaveOpen: true), where);
        // _reconstruct(...) then BUILD with (version, shape, dtype, fortran, items): the items are the last state field.
        if (result is not Call { Callable.Name: var name } call || !name.EndsWith("_reconstruct", StringComparison.Ordinal)
            || call.Arguments is not [.., object?[] state] || state is not [.., PickleList items])
            throw new DatasetException($"{where}: its pickle is not an object array");
        return items.Items.Select((item, i) => item is PickleList list
            ? list.Integers?.ToArray() ?? throw Refuse(where, $"element {i} holds {Describe(list.Items.First(v => v is not long))}, not only integers")
            : throw Refuse(where, $"element {i} is {Describe(item)}, not a list of integers")).ToArray();
    }

    private static object? Run(BinaryReader r, string where)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        while (true)
        {
            var op = r.ReadByte();
            switch (op)
            {
                case 0x80: r.ReadByte(); break; // PROTO
                case 0x95: r.ReadInt64(); break; // FRAME: a length hint
                case (byte)'.': return Pop(stack, where); // STOP
                case (byte)'(': stack.Add(TheMark); break; // MARK
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'K': stack.Add((long)r.ReadByte()); break; // BININT1
                case (byte)'M': stack.Add((long)r.ReadUInt16()); break; // BININT2
                case (byte)'J': stack.Add((long)r.ReadInt32()); break; // BININT
                case 0x8a: stack.Add(Long(r.ReadBytes(r.ReadByte()), where)); break; // LONG1
                case (byte)'I': stack.Add(ParseInt(ReadLine(r), where)); break; // INT (protocol 0)
                case (byte)'L': stack.Add(ParseInt(ReadLine(r).TrimEnd('L'), where)); break; // LONG (protocol 0)
                case (byte)'X': stack.Add(Encoding.UTF8.GetString(r.ReadBytes(r.ReadInt32()))); break; // BINUNICODE
                case 0x8c: stack.Add(Encoding.UTF8.GetString(r.ReadBytes(r.ReadByte()))); break; // SHORT_BINUNICODE
                case (byte)'U': stack.Add(Encoding.Latin1.GetString(r.ReadBytes(r.ReadByte()))); break; // SHORT_BINSTRING
                case (byte)'T': stack.Add(Encoding.Latin1.GetString(r.ReadBytes(r.ReadInt32()))); break; // BINSTRING
                case (byte)'C': stack.Add(r.ReadBytes(r.ReadByte())); break; // SHORT_BINBYTES
                case (byte)'B': stack.Add(r.ReadBytes(r.ReadInt32())); break; // BINBYTES
                case (byte)'q': memo[r.ReadByte()] = Peek(stack, where); break; // BINPUT
                case (byte)'r': memo[r.ReadUInt32()] = Peek(stack, where); break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(stack, where); break; // MEMOIZE
                case (byte)'p': memo[ParseInt(ReadLine(r), where)] = Peek(stack, where); break; // PUT
                case (byte)'h': stack.Add(Recall(memo, r.ReadByte(), where)); break; // BINGET
                case (byte)'j': stack.Add(Recall(memo, r.ReadUInt32(), where)); break; // LONG_BINGET
                case (byte)'g': stack.Add(Recall(memo, ParseInt(ReadLine(r), where), where)); break; // GET
                case (byte)']': stack.Add(new PickleList()); break; // EMPTY_LIST
                case (byte)')': stack.Add(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'l': { var list = new PickleList(); foreach (var item in PopToMark(stack, where)) list.Add(item); stack.Add(list); break; } // LIST
                case (byte)'t': stack.Add(PopToMark(stack, where)); break; // TUPLE
                case 0x85: stack.Add(PopN(stack, 1, where)); break; // TUPLE1
                case 0x86: stack.Add(PopN(stack, 2, where)); break; // TUPLE2
                case 0x87: stack.Add(PopN(stack, 3, where)); break; // TUPLE3
                case (byte)'a': { var item = Pop(stack, where); ListOn(stack, where).Add(item); break; } // APPEND
                case (byte)'e': { var items = PopToMark(stack, where); var list = ListOn(stack, where); foreach (var item in items) list.Add(item); break; } // APPENDS
                case (byte)'c': stack.Add(AllowedGlobal($"{ReadLine(r)} {ReadLine(r)}", where)); break; // GLOBAL
                case 0x93: { var qualified = Pop(stack, where); var module = Pop(stack, where); stack.Add(AllowedGlobal($"{module} {qualified}", where)); break; } // STACK_GLOBAL
                case (byte)'R': // REDUCE: recorded, never called
                    {
                        var arguments = Pop(stack, where) as object?[] ?? throw Refuse(where, "a call without an argument tuple");
                        var callable = Pop(stack, where) as Global ?? throw Refuse(where, "a call of something that is not an allowed global");
                        stack.Add(new Call(callable, arguments));
                        break;
                    }
                case (byte)'b': // BUILD: an array's state becomes its last argument; a dtype's state is not needed
                    {
                        var state = Pop(stack, where);
                        if (Peek(stack, where) is Call { Callable.Name: var callee } target && callee.EndsWith("_reconstruct", StringComparison.Ordinal))
                            stack[^1] = target with { Arguments = [.. target.Arguments, state] };
                        break;
                    }
                default:
                    throw Refuse(where, $"pickle opcode 0x{op:x2}");
            }
        }
    }

    private static Global AllowedGlobal(string name, string where) =>
        Allowed.Contains(name) ? new Global(name) : throw Refuse(where, $"the global '{name.Replace(' ', '.')}'");

    private static DatasetException Refuse(string where, string what) => new(
        $"{where}: its pickled contents hold {what}; RnnRunner reads only object arrays of integer lists (as Keras' imdb.npz) and never runs a pickle");

    private static string ReadLine(BinaryReader r)
    {
        var text = new StringBuilder();
        for (var c = r.ReadByte(); c != '\n'; c = r.ReadByte()) text.Append((char)c);
        return text.ToString();
    }

    private static long ParseInt(string text, string where) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw Refuse(where, $"the number '{text}'");

    private static long Long(byte[] bytes, string where)
    {
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : throw Refuse(where, "an integer beyond 64 bits");
    }

    private static object? Recall(Dictionary<long, object?> memo, long key, string where) =>
        memo.TryGetValue(key, out var value) ? value : throw Refuse(where, $"a reference to memo {key}, never stored");

    private static object? Pop(List<object?> stack, string where)
    {
        var top = Peek(stack, where);
        stack.RemoveAt(stack.Count - 1);
        return top;
    }

    private static object? Peek(List<object?> stack, string where) =>
        stack.Count > 0 && stack[^1] is not Mark ? stack[^1] : throw Refuse(where, "an empty stack (a damaged pickle)");

    private static PickleList ListOn(List<object?> stack, string where) =>
        Peek(stack, where) as PickleList ?? throw Refuse(where, "an append to something that is not a list");

    private static object?[] PopN(List<object?> stack, int n, string where)
    {
        var items = new object?[n];
        for (var i = n - 1; i >= 0; i--) items[i] = Pop(stack, where);
        return items;
    }

    private static object?[] PopToMark(List<object?> stack, string where)
    {
        var mark = stack.FindLastIndex(o => o is Mark);
        if (mark < 0) throw Refuse(where, "a missing mark (a damaged pickle)");
        var items = stack.GetRange(mark + 1, stack.Count - mark - 1).ToArray();
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        long => "an integer",
        string => "a string",
        PickleList => "a list",
        object?[] => "a tuple",
        _ => value.GetType().Name,
    };
}
