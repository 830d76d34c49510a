#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

#include <optional>

namespace Spawnscope::Ui {

// The window's look: the system's palette, or a light or a dark one; and the few colours of our
// own (errors, success, stderr) chosen to read on whichever is in use.
class Appearance
{
public:
    enum class Mode { System, Light, Dark };

    // Sets the application's palette (and Fusion for Light and Dark, which honours it fully);
    // System gives back the platform's palette and style, dark when the platform says so.
    static void apply(Mode mode);
    static Mode mode();
    static QString name(Mode mode);
    static std::optional<Mode> fromName(const QString &name);

    static bool isDark(const QPalette &palette);
    static QColor errorColor(const QPalette &palette);
    static QColor okColor(const QPalette &palette);
    static QPalette darkPalette();
};

} // namespace Spawnscope::Ui
