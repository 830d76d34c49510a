#include "jsliteral.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace Spawnscope {

namespace {

class Parser
{
public:
    explicit Parser(const QString &text) : s(text) {}

    std::optional<QJsonValue> document(JsLiteral::Error *error)
    {
        skip();
        auto v = value();
        if (v) {
            skip();
            if (i < s.size()) {
                fail(i, QStringLiteral("unexpected `%1` after the value").arg(s[i]));
                v.reset();
            }
        }
        if (!v)
            *error = m_error;
        return v;
    }

private:
    const QString &s;
    int i = 0;
    JsLiteral::Error m_error;
    bool m_failed = false;
    int m_depth = 0;

    std::nullopt_t fail(int at, const QString &message)
    {
        if (!m_failed)
            m_error = {at, message};
        m_failed = true;
        return std::nullopt;
    }
    QChar at(int k) const { return k < s.size() ? s[k] : QChar(); }
    void skip()
    {
        while (i < s.size() && s[i].isSpace())
            ++i;
    }
    static bool identifierStart(QChar c) { return c.isLetter() || c == QLatin1Char('_') || c == QLatin1Char('$'); }
    static bool identifierPart(QChar c) { return identifierStart(c) || c.isDigit(); }

    std::optional<QJsonValue> value()
    {
        if (++m_depth > 512)
            return fail(i, QStringLiteral("nested too deeply"));
        skip();
        std::optional<QJsonValue> v;
        const QChar c = at(i);
        if (c.isNull())
            v = fail(i, QStringLiteral("expected a value"));
        else if (c == QLatin1Char('{'))
            v = object();
        else if (c == QLatin1Char('['))
            v = array();
        else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            if (const auto text = string())
                v = QJsonValue(*text);
        }
        else if (c.isDigit() || c == QLatin1Char('-') || c == QLatin1Char('+') || c == QLatin1Char('.'))
            v = number();
        else if (identifierStart(c))
            v = word();
        else
            v = fail(i, QStringLiteral("unexpected `%1`").arg(c));
        --m_depth;
        return v;
    }

    std::optional<QJsonValue> word()
    {
        const int start = i;
        while (identifierPart(at(i)))
            ++i;
        const QString w = s.mid(start, i - start);
        if (w == QLatin1String("true"))
            return QJsonValue(true);
        if (w == QLatin1String("false"))
            return QJsonValue(false);
        if (w == QLatin1String("null"))
            return QJsonValue(QJsonValue::Null);
        if (w == QLatin1String("undefined") || w == QLatin1String("NaN") || w == QLatin1String("Infinity"))
            return fail(start, QStringLiteral("`%1` has no JSON form; a message cannot carry it").arg(w));
        return fail(start, QStringLiteral("`%1` is not a value: quote it to send it as a string").arg(w));
    }

    std::optional<QJsonValue> number()
    {
        const int start = i;
        if (at(i) == QLatin1Char('+') || at(i) == QLatin1Char('-'))
            ++i;
        if (at(i) == QLatin1Char('0') && (at(i + 1) == QLatin1Char('x') || at(i + 1) == QLatin1Char('X'))) {
            i += 2;
            const int digits = i;
            while (at(i).isDigit() || QStringView(u"abcdefABCDEF").contains(at(i)))
                ++i;
            bool ok = false;
            const qlonglong n = s.mid(digits, i - digits).toLongLong(&ok, 16);
            if (!ok)
                return fail(start, QStringLiteral("not a number"));
            return QJsonValue(double(s[start] == QLatin1Char('-') ? -n : n));
        }
        while (at(i).isDigit() || at(i) == QLatin1Char('.') || at(i) == QLatin1Char('e') || at(i) == QLatin1Char('E')
               || ((at(i) == QLatin1Char('+') || at(i) == QLatin1Char('-')) && (at(i - 1) == QLatin1Char('e') || at(i - 1) == QLatin1Char('E'))))
            ++i;
        bool ok = false;
        const double d = s.mid(start, i - start).toDouble(&ok);
        if (!ok || !std::isfinite(d))
            return fail(start, QStringLiteral("`%1` is not a number").arg(s.mid(start, i - start)));
        return QJsonValue(d);
    }

    std::optional<QString> string()
    {
        const QChar quote = s[i];
        const int open = i++;
        QString out;
        while (true) {
            if (i >= s.size()) {
                fail(open, QStringLiteral("unterminated string"));
                return std::nullopt;
            }
            const QChar c = s[i++];
            if (c == quote)
                return out;
            if (c == QLatin1Char('\n')) {
                fail(i - 1, QStringLiteral("a line break inside a string: write \\n"));
                return std::nullopt;
            }
            if (c != QLatin1Char('\\')) {
                out += c;
                continue;
            }
            const QChar e = at(i++);
            switch (e.unicode()) {
            case 'n': out += QLatin1Char('\n'); break;
            case 't': out += QLatin1Char('\t'); break;
            case 'r': out += QLatin1Char('\r'); break;
            case 'b': out += QLatin1Char('\b'); break;
            case 'f': out += QLatin1Char('\f'); break;
            case '0': out += QChar(0); break;
            case 'u': {
                bool ok = false;
                const ushort code = s.mid(i, 4).toUShort(&ok, 16);
                if (!ok || s.mid(i, 4).size() < 4) {
                    fail(i - 2, QStringLiteral("\\u needs four hex digits"));
                    return std::nullopt;
                }
                out += QChar(code);
                i += 4;
                break;
            }
            default:
                if (e.isNull()) {
                    fail(open, QStringLiteral("unterminated string"));
                    return std::nullopt;
                }
                out += e; // \' \" \\ \/ and the rest stand for themselves
            }
        }
    }

    std::optional<QJsonValue> array()
    {
        ++i;
        QJsonArray out;
        while (true) {
            skip();
            if (at(i) == QLatin1Char(']')) {
                ++i;
                return QJsonValue(out);
            }
            const auto v = value();
            if (!v)
                return std::nullopt;
            out.append(*v);
            skip();
            if (at(i) == QLatin1Char(','))
                ++i; // a trailing comma is fine, as in JavaScript
            else if (at(i) != QLatin1Char(']'))
                return fail(i, at(i).isNull() ? QStringLiteral("unterminated array: expected `]`") : QStringLiteral("expected `,` or `]`"));
        }
    }

    std::optional<QJsonValue> object()
    {
        ++i;
        QJsonObject out;
        while (true) {
            skip();
            if (at(i) == QLatin1Char('}')) {
                ++i;
                return QJsonValue(out);
            }
            QString key;
            if (at(i) == QLatin1Char('"') || at(i) == QLatin1Char('\'')) {
                const auto k = string();
                if (!k)
                    return std::nullopt;
                key = *k;
            } else if (identifierStart(at(i)) || at(i).isDigit()) {
                const int start = i;
                while (identifierPart(at(i)))
                    ++i;
                key = s.mid(start, i - start);
            } else {
                return fail(i, at(i).isNull() ? QStringLiteral("unterminated object: expected `}`") : QStringLiteral("expected a key"));
            }
            skip();
            if (at(i) != QLatin1Char(':'))
                return fail(i, QStringLiteral("expected `:` after the key `%1`").arg(key));
            ++i;
            const auto v = value();
            if (!v)
                return std::nullopt;
            out.insert(key, *v);
            skip();
            if (at(i) == QLatin1Char(','))
                ++i;
            else if (at(i) != QLatin1Char('}'))
                return fail(i, at(i).isNull() ? QStringLiteral("unterminated object: expected `}`") : QStringLiteral("expected `,` or `}`"));
        }
    }
};

} // namespace

std::optional<QJsonValue> JsLiteral::parse(const QString &text, Error *error)
{
    return Parser(text).document(error);
}

QString JsLiteral::toJson(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

} // namespace Spawnscope
