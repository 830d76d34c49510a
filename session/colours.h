#pragma once

#include <QColor>
#include <QPalette>

namespace Spawnscope {

// The few colours of our own (errors, success) chosen to read on the palette in use, light or
// dark (contrast at least 4.5:1), and the dark palette itself.
class Colours
{
public:
    static bool isDark(const QPalette &palette);
    static QColor errorColor(const QPalette &palette);
    static QColor okColor(const QPalette &palette);
    static QColor warningColor(const QPalette &palette); // stopped, waiting: neither well nor ill
    static QPalette darkPalette();
};

} // namespace Spawnscope
