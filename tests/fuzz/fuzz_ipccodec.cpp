// The message channel's reading side: bytes as a child writes them, cut into lines and decoded.
// The first byte of an input is not written: it chooses how the bytes arrive (bits 0-3: all at
// once, or in chunks of 7*n bytes) and the largest message allowed (bit 7: 64 bytes, else 1 MiB),
// so that lines split across reads and oversized messages are reached too. A seed file is that
// byte (a space: all at once, 1 MiB) and then the lines.
//
// Properties: decode() gives the same answer with and without its scratch buffer, says why when it
// fails, and what it decodes encodes to one line that decodes to the same value (and encodes to the
// same line again), a string as Qt's own JSON writer writes it. The channel, fed the bytes through
// a socket, emits exactly the messages that decoding the complete lines in order gives, answers
// each NODE_HANDLE with one NACK, stops at the first line that is not JSON or is too long, and
// closes once.

#include "fuzz.h"

#include <ipccodec_p.h>
#include <jsonchannel_p.h>

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Spawnscope::Internal;

namespace {

QString shownValue(const QJsonValue &v)
{
    return QString::fromUtf8(IpcCodec::encode(v));
}

// What a line gives the channel: a message, an internal message (NODE_HANDLE among them), or an error.
struct Expected
{
    QList<QJsonValue> messages;
    int nacks = 0;
    QString failure; // the error code, or empty when the stream ends cleanly
};

Expected expectedFrom(QByteArrayView stream, qsizetype maxMessage)
{
    Expected e;
    qsizetype at = 0;
    while (at < stream.size()) {
        const qsizetype nl = stream.indexOf('\n', at);
        const qsizetype end = nl < 0 ? stream.size() : nl;
        if (end - at > maxMessage) {
            e.failure = QStringLiteral("ERR_IPC_MESSAGE_TOO_LARGE");
            return e;
        }
        if (nl < 0)
            break; // an unfinished last line is dropped at the end of the stream
        QJsonValue value;
        QString error;
        if (!IpcCodec::decode(stream.sliced(at, end - at), &value, &error)) {
            e.failure = QStringLiteral("ERR_IPC_INVALID_JSON");
            return e;
        }
        QString cmd;
        if (IpcCodec::isInternal(value, &cmd))
            e.nacks += cmd == QLatin1String("NODE_HANDLE");
        else
            e.messages << value;
        at = nl + 1;
    }
    return e;
}

void checkDecode(QByteArrayView line, QByteArray *scratch)
{
    QJsonValue value;
    QString error;
    const bool ok = IpcCodec::decode(line, &value, &error, scratch);
    QJsonValue plainValue;
    QString plainError;
    const bool plainOk = IpcCodec::decode(line, &plainValue, &plainError);
    FUZZ_CHECK(ok == plainOk && value == plainValue && error == plainError, QString::fromUtf8(line.toByteArray()));
    if (!ok) {
        FUZZ_CHECK(!error.isEmpty(), QString::fromUtf8(line.toByteArray()));
        return;
    }
    const QByteArray wire = IpcCodec::encode(value);
    FUZZ_CHECK(wire.endsWith('\n') && wire.indexOf('\n') == wire.size() - 1, QString::fromUtf8(wire));
    QJsonValue back;
    FUZZ_CHECK(IpcCodec::decode(QByteArrayView(wire).chopped(1), &back, &error), QString::fromUtf8(wire) + error);
    FUZZ_CHECK(back == value, shownValue(value) + QStringLiteral(" came back as ") + shownValue(back));
    FUZZ_CHECK(IpcCodec::encode(back) == wire, QString::fromUtf8(wire));
    if (value.isString()) {
        // encode() writes a string itself, for speed; as JSON.stringify does, and Qt's writer too.
        const QByteArray qt = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        FUZZ_CHECK(wire.chopped(1) == qt.mid(1, qt.size() - 2), QString::fromUtf8(wire) + QStringLiteral(" where Qt writes ") + QString::fromUtf8(qt));
    }
}

void checkChannel(QByteArrayView stream, qsizetype chunk, qsizetype maxMessage)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        Fuzz::fail("socketpair", QString::fromLocal8Bit(strerror(errno)));
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
    const int ours = fds[1];

    auto *channel = new JsonChannel(fds[0], maxMessage, nullptr);
    QList<QJsonValue> messages;
    QStringList failures;
    int closed = 0;
    QObject::connect(channel, &JsonChannel::message, channel, [&](const QJsonValue &m) { messages << m; });
    QObject::connect(channel, &JsonChannel::failed, channel, [&](const QString &code, const QString &) { failures << code; });
    QObject::connect(channel, &JsonChannel::closed, channel, [&] { ++closed; });
    channel->start();

    QByteArray answers;
    auto readAnswers = [&] {
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(ours, buffer, sizeof buffer)) > 0)
            answers.append(buffer, n);
    };
    qsizetype written = 0;
    int spins = 0;
    while (written < stream.size() && closed == 0) {
        const qsizetype size = qMin(chunk, stream.size() - written);
        const ssize_t n = ::send(ours, stream.data() + written, size_t(size), MSG_NOSIGNAL);
        if (n > 0)
            written += n;
        else if (errno != EAGAIN)
            break; // the channel closed its end after a failure
        QCoreApplication::processEvents();
        readAnswers();
        if (++spins > 1000000)
            Fuzz::fail("the channel does not read", {});
    }
    ::shutdown(ours, SHUT_WR);
    spins = 0;
    while (closed == 0) {
        if (++spins > 100000)
            Fuzz::fail("the channel does not close at the end of the stream", {});
        QCoreApplication::processEvents();
    }
    readAnswers();
    ::close(ours);
    delete channel;

    const Expected expected = expectedFrom(stream, maxMessage);
    QStringList got;
    for (const QJsonValue &m : std::as_const(messages))
        got << shownValue(m);
    QStringList want;
    for (const QJsonValue &m : expected.messages)
        want << shownValue(m);
    FUZZ_CHECK(messages == expected.messages, QStringLiteral("got\n%1\nexpected\n%2").arg(got.join(QString()), want.join(QString())));
    FUZZ_CHECK(closed == 1, QString::number(closed));
    FUZZ_CHECK(failures == (expected.failure.isEmpty() ? QStringList() : QStringList{expected.failure}),
               failures.join(QLatin1Char(',')) + QStringLiteral(" expected ") + expected.failure);
    FUZZ_CHECK(answers == QByteArray("{\"cmd\":\"NODE_HANDLE_NACK\"}\n").repeated(expected.nacks), QString::fromUtf8(answers));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static auto *app = new QCoreApplication(*argc, *argv); // the channel's socket notifiers need a dispatcher
    Q_UNUSED(app);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t mode = data[0];
    const QByteArrayView stream = Fuzz::bytes(data + 1, size - 1);
    QByteArray scratch;
    for (qsizetype at = 0; at <= stream.size();) {
        const qsizetype nl = stream.indexOf('\n', at);
        const qsizetype end = nl < 0 ? stream.size() : nl;
        checkDecode(stream.sliced(at, end - at), &scratch);
        at = end + 1;
    }
    const qsizetype chunk = (mode & 0x0f) == 0 ? stream.size() + 1 : (mode & 0x0f) * 7;
    checkChannel(stream, qMax<qsizetype>(chunk, 1), (mode & 0x80) ? 64 : 1024 * 1024);
    return 0;
}
