#pragma once

#include <QFile>
#include <QString>

namespace Spawnscope::Internal {

// What QSaveFile does, by the name's bytes (QSaveFile's names are UTF-8 only, and a name need
// not be: OsString): the data goes to a temporary file beside `target`, which commit() renames
// over it, so a failure never leaves half a file behind. A new file gets the usual permissions
// (0666 less the umask); an existing one keeps its own.
class OutputFile
{
public:
    explicit OutputFile(const QString &target);
    ~OutputFile(); // cancels what was not committed
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;

    bool open(QString *error);
    qint64 write(const QByteArray &data) { return m_file.write(data); }
    qint64 write(const char *data, qint64 size) { return m_file.write(data, size); }
    bool commit(QString *error);
    void cancel();
    QString errorString() const { return m_file.errorString(); }

private:
    QString m_target;
    QByteArray m_temporary; // its name's bytes; empty when there is none
    QFile m_file;
};

} // namespace Spawnscope::Internal
