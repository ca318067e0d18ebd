// A small, strict JSON reader (RFC 8259) that builds PowerShell objects directly: an object becomes a
// PSObject (PSCustomObject base, note properties in document order), an array object[], a string
// string, true/false Boolean, null null, a number what ConvertFrom-Json makes of it in this edition.
//
// It accepts only what it can convert exactly as the module's PowerShell path would (ConvertFrom-Json
// after the key renaming and the lone-surrogate placeholders of module/Private/EngineRecords.ps1);
// anything else throws NotHandledException and the module converts that batch the PowerShell way,
// which also reports a line that is not JSON. So being stricter than ConvertFrom-Json is always safe.
//
// Number typing:
//   PowerShell 7 (Newtonsoft.Json): an integer is Int64, a fraction or exponent Double; an integer
//     beyond Int64 (BigInteger there) or a non-finite Double is not handled.
//   Windows PowerShell 5.1 (JavaScriptSerializer): an integer is Int32, else Int64, else Decimal,
//     else Double; with a fraction Decimal, else Double; with an exponent Double.
// Strings PowerShell 7 would turn into DateTime (ISO 8601 date-times, /Date(...)/) are not handled,
// in either edition (a strict superset of the shapes Newtonsoft parses: a path never looks like that).
// A \uDC80-\uDCFF escape is kept as that lone surrogate (the engine's encoding of a byte of a POSIX
// name that is not UTF-8); any other surrogate escape, and U+FDD0 (the PowerShell path's placeholder),
// are not handled.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Management.Automation;
using System.Text;

namespace LinkTools.Records
{
    /// <summary>The line cannot be converted here exactly as the PowerShell path would: use that path.</summary>
    public sealed class NotHandledException : Exception
    {
        public NotHandledException(string message) : base(message) { }
    }

    internal sealed class JsonRecordReader
    {
        private const int MaxDepth = 256;

        private readonly NameTable _names;
        private readonly bool _desktopNumbers;
        private readonly StringBuilder _sb = new StringBuilder(256);
        private readonly List<List<object>> _lists = new List<List<object>>();
        private string _text;
        private int _pos;
        private int _end;

        private readonly Func<List<PSNoteProperty>, string> _finish;

        /// <param name="finish">Called with a record's properties before they are added; returns its type name.</param>
        internal JsonRecordReader(NameTable names, bool desktopNumbers, Func<List<PSNoteProperty>, string> finish)
        {
            _finish = finish;
            _names = names;
            _desktopNumbers = desktopNumbers;
        }

        /// <summary>One JSON text that must be an object (leading and trailing JSON whitespace allowed).</summary>
        internal PSObject ReadRecord(string text)
        {
            _text = text;
            _pos = 0;
            _end = text.Length;
            SkipWhitespace();
            if (_pos >= _end || _text[_pos] != '{') throw Fail("not a JSON object");
            PSObject record = ReadObject(1);
            SkipWhitespace();
            if (_pos != _end) throw Fail("text after the JSON value");
            _text = null;
            return record;
        }

        private NotHandledException Fail(string what)
        {
            return new NotHandledException(what + " at offset " + _pos.ToString(CultureInfo.InvariantCulture));
        }

        private void SkipWhitespace()
        {
            while (_pos < _end)
            {
                char c = _text[_pos];
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') _pos++;
                else break;
            }
        }

        private object ReadValue(int depth)
        {
            if (_pos >= _end) throw Fail("unexpected end");
            char c = _text[_pos];
            switch (c)
            {
                case '"': return ReadString(false);
                case '{': return ReadObject(depth + 1);
                case '[': return ReadArray(depth + 1);
                case 't': ReadLiteral("true"); return Boxed.True;
                case 'f': ReadLiteral("false"); return Boxed.False;
                case 'n': ReadLiteral("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                    throw Fail("unexpected character");
            }
        }

        private void ReadLiteral(string word)
        {
            if (_end - _pos < word.Length || string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) throw Fail("bad literal");
            _pos += word.Length;
        }

        private PSObject ReadObject(int depth)
        {
            if (depth > MaxDepth) throw Fail("nested too deeply");
            _pos++; // '{'
            // The members are gathered first, so the object is made with room for all of them.
            while (_members.Count <= depth)
            {
                _members.Add(new List<PSNoteProperty>());
                _seen.Add(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
            }
            List<PSNoteProperty> members = _members[depth];
            HashSet<string> seen = _seen[depth];
            members.Clear();
            seen.Clear();
            SkipWhitespace();
            if (_pos < _end && _text[_pos] == '}') _pos++;
            else
            {
                while (true)
                {
                    if (_pos >= _end || _text[_pos] != '"') throw Fail("expected a property name");
                    string name = ReadKey();
                    // ConvertFrom-Json refuses a name twice (in any casing); PowerShell would keep one.
                    if (!seen.Add(name)) throw Fail("a property name twice");
                    SkipWhitespace();
                    if (_pos >= _end || _text[_pos] != ':') throw Fail("expected ':'");
                    _pos++;
                    SkipWhitespace();
                    members.Add(new PSNoteProperty(name, ReadValue(depth)));
                    SkipWhitespace();
                    if (_pos >= _end) throw Fail("unexpected end in an object");
                    char c = _text[_pos++];
                    if (c == ',') { SkipWhitespace(); continue; }
                    if (c == '}') break;
                    throw Fail("expected ',' or '}'");
                }
            }
            // The record itself: its finishing touches change values before the properties are added
            // (PowerShell keeps its own copy of a property added to an object).
            string typeName = depth == 1 ? _finish(members) : null;
            PSObject obj = NewObject(members.Count);
            PSMemberInfoCollection<PSPropertyInfo> properties = obj.Properties;
            foreach (PSNoteProperty m in members) properties.Add(m);
            members.Clear();
            if (typeName != null) obj.TypeNames.Insert(0, typeName);
            return obj;
        }

        private readonly List<List<PSNoteProperty>> _members = new List<List<PSNoteProperty>>();
        private readonly List<HashSet<string>> _seen = new List<HashSet<string>>();

        // PowerShell 7's PSObject(int): its members in a list of its own from the start, instead of one
        // found through a table of weak references on first use (new PSObject()). The same object
        // otherwise. Not in Windows PowerShell 5.1, nor in the reference assemblies: looked up once.
        private static readonly Func<int, PSObject> s_newWithCapacity = FindCapacityConstructor();

        private static Func<int, PSObject> FindCapacityConstructor()
        {
            try
            {
                ConstructorInfo ctor = typeof(PSObject).GetConstructor(BindingFlags.Public | BindingFlags.Instance, null, new[] { typeof(int) }, null);
                if (ctor == null) return null;
                ParameterExpression n = Expression.Parameter(typeof(int), "n");
                return Expression.Lambda<Func<int, PSObject>>(Expression.New(ctor, n), n).Compile();
            }
            catch (Exception)
            {
                return null;
            }
        }

        private static PSObject NewObject(int members)
        {
            return s_newWithCapacity != null ? s_newWithCapacity(members) : new PSObject();
        }

        private object[] ReadArray(int depth)
        {
            if (depth > MaxDepth) throw Fail("nested too deeply");
            _pos++; // '['
            SkipWhitespace();
            if (_pos < _end && _text[_pos] == ']') { _pos++; return new object[0]; }
            // One reusable list per depth: no list garbage for the chains of a long result.
            while (_lists.Count <= depth) _lists.Add(new List<object>());
            List<object> items = _lists[depth];
            items.Clear();
            while (true)
            {
                items.Add(ReadValue(depth));
                SkipWhitespace();
                if (_pos >= _end) throw Fail("unexpected end in an array");
                char c = _text[_pos++];
                if (c == ',') { SkipWhitespace(); continue; }
                if (c == ']') break;
                throw Fail("expected ',' or ']'");
            }
            object[] result = items.ToArray();
            items.Clear();
            return result;
        }

        /// <summary>
        /// A property name. The PowerShell path renames names in the JSON text ('"name":' -> '"Name":'),
        /// so a name is mapped only when it is written without escapes and followed directly by ':'.
        /// A name with an escaped quote (which that text replacement could partly match) or with a
        /// surrogate escape (left as a placeholder there) is not handled.
        /// </summary>
        private string ReadKey()
        {
            int start = _pos + 1;
            int i = start;
            while (i < _end)
            {
                char c = _text[i];
                if (c == '"') break;
                if (c == '\\' || c < ' ' || c == '\uFDD0') { i = -1; break; }
                i++;
            }
            if (i >= 0 && i < _end)
            {
                _pos = i + 1;
                bool renamable = _pos < _end && _text[_pos] == ':';
                return _names.Get(_text, start, i - start, renamable);
            }
            string name = ReadString(true);
            return name;
        }

        private string ReadString(bool isKey)
        {
            int start = _pos + 1;
            int i = start;
            // Fast path: no escapes.
            while (i < _end)
            {
                char c = _text[i];
                if (c == '"' || c == '\\' || c < ' ' || c == '\uFDD0') break;
                i++;
            }
            if (i >= _end) throw Fail("unterminated string");
            string s;
            if (_text[i] == '"')
            {
                s = i == start ? string.Empty : _text.Substring(start, i - start);
                _pos = i + 1;
            }
            else
            {
                _sb.Clear();
                _sb.Append(_text, start, i - start);
                _pos = i;
                while (true)
                {
                    if (_pos >= _end) throw Fail("unterminated string");
                    char c = _text[_pos];
                    if (c == '"') { _pos++; break; }
                    if (c < ' ') throw Fail("control character in a string");
                    if (c == '\uFDD0') throw Fail("U+FDD0 in a string");
                    if (c != '\\') { _sb.Append(c); _pos++; continue; }
                    if (_pos + 1 >= _end) throw Fail("unterminated escape");
                    char e = _text[_pos + 1];
                    _pos += 2;
                    switch (e)
                    {
                        case '"': _sb.Append('"'); if (isKey) throw Fail("escaped quote in a name"); break;
                        case '\\': _sb.Append('\\'); break;
                        case '/': _sb.Append('/'); break;
                        case 'b': _sb.Append('\b'); break;
                        case 'f': _sb.Append('\f'); break;
                        case 'n': _sb.Append('\n'); break;
                        case 'r': _sb.Append('\r'); break;
                        case 't': _sb.Append('\t'); break;
                        case 'u':
                            {
                                if (_end - _pos < 4) throw Fail("short \\u escape");
                                int v = 0;
                                for (int k = 0; k < 4; k++)
                                {
                                    int h = Hex(_text[_pos + k]);
                                    if (h < 0) throw Fail("bad \\u escape");
                                    v = (v << 4) | h;
                                }
                                _pos += 4;
                                if (v >= 0xD800 && v <= 0xDFFF)
                                {
                                    // Only the engine's lone low surrogates, and never in a name.
                                    if (isKey || v < 0xDC80 || v > 0xDCFF) throw Fail("surrogate escape");
                                }
                                else if (v == 0xFDD0) throw Fail("U+FDD0 escape");
                                _sb.Append((char)v);
                                break;
                            }
                        default: throw Fail("bad escape");
                    }
                }
                s = _sb.ToString();
            }
            if (!isKey && MayBecomeDate(s)) throw Fail("a string ConvertFrom-Json may read as a date");
            return s;
        }

        private static int Hex(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }

        private static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

        /// <summary>
        /// Newtonsoft.Json (PowerShell 7's ConvertFrom-Json) reads a string that is an ISO 8601 date and
        /// time ('2026-12-02T03:04:05Z', ...) or a Microsoft date ('/Date(...)/') as a DateTime. This is a
        /// superset of both shapes: 'dddd-dd-dd' at the start, or '/Date(' in any case.
        /// </summary>
        private static bool MayBecomeDate(string s)
        {
            if (s.Length < 6) return false;
            char c = s[0];
            if (c == '/') return string.Compare(s, 0, "/Date(", 0, 6, StringComparison.OrdinalIgnoreCase) == 0;
            if (!IsDigit(c) || s.Length < 10) return false;
            return IsDigit(s[1]) && IsDigit(s[2]) && IsDigit(s[3]) && s[4] == '-' && IsDigit(s[5]) && IsDigit(s[6]) && s[7] == '-' && IsDigit(s[8]) && IsDigit(s[9]);
        }

        private object ReadNumber()
        {
            int start = _pos;
            int i = _pos;
            if (_text[i] == '-') i++;
            if (i >= _end) throw Fail("bad number");
            if (_text[i] == '0') i++;
            else if (_text[i] >= '1' && _text[i] <= '9') { while (i < _end && IsDigit(_text[i])) i++; }
            else throw Fail("bad number");
            bool fraction = false, exponent = false;
            if (i < _end && _text[i] == '.')
            {
                fraction = true;
                i++;
                if (i >= _end || !IsDigit(_text[i])) throw Fail("bad number");
                while (i < _end && IsDigit(_text[i])) i++;
            }
            if (i < _end && (_text[i] == 'e' || _text[i] == 'E'))
            {
                exponent = true;
                i++;
                if (i < _end && (_text[i] == '+' || _text[i] == '-')) i++;
                if (i >= _end || !IsDigit(_text[i])) throw Fail("bad number");
                while (i < _end && IsDigit(_text[i])) i++;
            }
            _pos = i;
            int length = i - start;
            if (!fraction && !exponent && length <= 9)
            {
                // Small integers (most of them): no string. Nine characters fit an Int32.
                long n = 0;
                int k = start;
                bool negative = _text[k] == '-';
                if (negative) k++;
                for (; k < i; k++) n = n * 10 + (_text[k] - '0');
                if (negative) n = -n;
                if (_desktopNumbers) return (int)n;
                return n;
            }
            string s = _text.Substring(start, length);
            return _desktopNumbers ? DesktopNumber(s, fraction, exponent) : CoreNumber(s, fraction, exponent);
        }

        private object CoreNumber(string s, bool fraction, bool exponent)
        {
            if (!fraction && !exponent)
            {
                long n;
                if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) return n;
                throw Fail("integer beyond Int64");
            }
            double d;
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && !double.IsInfinity(d) && !double.IsNaN(d)) return d;
            throw Fail("number out of range");
        }

        private object DesktopNumber(string s, bool fraction, bool exponent)
        {
            if (!exponent)
            {
                if (!fraction)
                {
                    int n;
                    if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) return n;
                    long l;
                    if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l)) return l;
                }
                decimal m;
                if (decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out m)) return m;
            }
            double d;
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && !double.IsInfinity(d) && !double.IsNaN(d)) return d;
            throw Fail("number out of range");
        }
    }

    internal static class Boxed
    {
        internal static readonly object True = true;
        internal static readonly object False = false;
    }
}
